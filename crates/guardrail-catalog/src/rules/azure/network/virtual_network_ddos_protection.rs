//! AZURE-NETWORK-009: Virtual networks with public endpoints have DDoS Network Protection.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-NETWORK-009",
    name: "virtual-network-ddos-protection",
    title: "Virtual networks with public endpoints have DDoS Network Protection",
    description: "DDoS Network Protection adds adaptive mitigation, attack telemetry and cost protection to the public IPs of a virtual network.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["network"],
    topics: &["network", "resilience"],
    frameworks: Frameworks::Mapped(&[Control { framework: "soc2", controls: &["A1.2"] }, Control { framework: "nist-800-53", controls: &["SC-5"] }]),
    resource_types: &["azurerm_virtual_network", "azure:network/virtualNetwork:VirtualNetwork", "azure-native:network:VirtualNetwork"],
    remediation: "Set `ddos_protection_plan` (Pulumi `ddosProtectionPlan`, Azure Native `enableDdosProtection: true`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Virtual networks (`azurerm_virtual_network`, Pulumi `azure:network/virtualNetwork:VirtualNetwork`, Azure Native `azure-native:network:VirtualNetwork`): Terraform and Pulumi `azure` read the `ddos_protection_plan` block, Azure Native `enableDdosProtection` (default `false`). Advisory by default: the plan is billed per tenant and suits networks with internet-facing workloads.",
        why: "Basic infrastructure protection absorbs only large volumetric attacks on the platform; application-sized floods against one public IP take it down unless the network has a plan.",
        noncompliant: "The virtual network without `ddos_protection_plan` (Pulumi `ddosProtectionPlan`, Azure Native `enableDdosProtection`) set.",
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.network.VirtualNetwork("hub", {
        // ...
        ddosProtectionPlan: { id: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.Network/ddosProtectionPlans/ddos", enable: true },
    });

Pulumi Azure Native (TypeScript):

    new network.VirtualNetwork("hub", {
        // ...
        enableDdosProtection: true,
    });

Terraform:

    resource "azurerm_virtual_network" "hub" {
      # ...
      ddos_protection_plan {
        id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.Network/ddosProtectionPlans/ddos"
        enable = true
      }
    }"#,
        fix: "Attach a DDoS protection plan (one can cover many networks). No automatic fix: it is billed.",
        references: &[
            "Microsoft Learn: Azure DDoS Protection overview — https://learn.microsoft.com/azure/ddos-protection/ddos-protection-overview",
            "NIST SP 800-53 Rev. 5: SC-5",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::present("ddosProtectionPlan");

const NATIVE: Want = Want::on("enableDdosProtection", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "virtual network",
        "has no DDoS Network Protection plan",
    )
}
