//! AZURE-NETWORK-007: Azure Firewalls block traffic to known malicious addresses.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{is_native, setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-NETWORK-007",
    name: "firewall-threat-intel-deny",
    title: "Azure Firewalls block traffic to known malicious addresses",
    description: "In Alert mode the firewall only logs traffic to and from addresses and domains Microsoft knows to be malicious; Deny blocks it.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["network"],
    topics: &["network", "threat-detection"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["1.4.2"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.5.7"] }, Control { framework: "nist-800-53", controls: &["SI-4", "SC-7"] }]),
    resource_types: &["azurerm_firewall", "azure:network/firewall:Firewall", "azure-native:network:AzureFirewall"],
    remediation: r#"Set `threat_intel_mode = "Deny"` (Pulumi and Azure Native `threatIntelMode: "Deny"`), or set it in the attached firewall policy."#,
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Azure Firewalls (`azurerm_firewall`, Pulumi `azure:network/firewall:Firewall`, Azure Native `azure-native:network:AzureFirewall`): `threat_intel_mode` (Pulumi and Azure Native `threatIntelMode`) must be `Deny`; the default `Alert` and `Off` are violations. A firewall managed by a firewall policy (`firewall_policy_id`, Azure Native `firewallPolicy.id`) takes the mode from the policy and is not applicable. Advisory by default.",
        why: "Traffic to command-and-control servers and known malicious domains is a late but strong sign of compromise; in Alert mode the connection still succeeds, in Deny mode it is stopped.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.network.Firewall("hub", { /* ... */ threatIntelMode: "Alert" });

Pulumi Azure Native (TypeScript):

    new network.AzureFirewall("hub", { /* ... */ threatIntelMode: "Off" });

Terraform:

    resource "azurerm_firewall" "hub" {
      # ...
      threat_intel_mode = "Alert"
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.network.Firewall("hub", { /* ... */ threatIntelMode: "Deny" });

Pulumi Azure Native (TypeScript):

    new network.AzureFirewall("hub", { /* ... */ threatIntelMode: "Deny" });

Terraform:

    resource "azurerm_firewall" "hub" {
      # ...
      threat_intel_mode = "Deny"
    }"#,
        fix: "guardrail's fix writes `Deny` and is unsafe: review the firewall's threat-intelligence alerts for false positives first.",
        references: &[
            "Microsoft Learn: Azure Firewall threat intelligence-based filtering — https://learn.microsoft.com/azure/firewall/threat-intel",
            "NIST SP 800-53 Rev. 5: SI-4, SC-7",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want::one_of("threatIntelMode", &["Deny"], "Alert");

const NATIVE: Want = Want::one_of("threatIntelMode", &["Deny"], "Alert");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let policy = if is_native(view) {
        "firewallPolicy.id"
    } else {
        "firewallPolicyId"
    };
    if !matches!(view.field(policy), Ok(None)) {
        return Ok(Verdict::not_applicable(
            "a firewall policy sets the threat intelligence mode",
        ));
    }
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "Azure Firewall",
        "does not block known malicious traffic",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    setting_fix(
        view,
        (BRIDGED, Lit::Text("Deny")),
        (NATIVE, Lit::Text("Deny")),
    )
}
