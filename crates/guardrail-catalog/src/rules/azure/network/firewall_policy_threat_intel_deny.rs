//! AZURE-NETWORK-013: Firewall policies block traffic to known malicious addresses.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-NETWORK-013",
    name: "firewall-policy-threat-intel-deny",
    title: "Firewall policies block traffic to known malicious addresses",
    description: "In Alert mode a firewall policy only logs traffic to and from addresses Microsoft knows to be malicious; Deny blocks it.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["network"],
    topics: &["network", "threat-detection"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["1.4.2"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.5.7"] }, Control { framework: "nist-800-53", controls: &["SI-4", "SC-7"] }]),
    resource_types: &["azurerm_firewall_policy", "azure:network/firewallPolicy:FirewallPolicy", "azure-native:network:FirewallPolicy"],
    remediation: r#"Set `threat_intelligence_mode = "Deny"` (Pulumi `threatIntelligenceMode`, Azure Native `threatIntelMode: "Deny"`)."#,
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Azure Firewall policies (`azurerm_firewall_policy`, Pulumi `azure:network/firewallPolicy:FirewallPolicy`, Azure Native `azure-native:network:FirewallPolicy`): Terraform and Pulumi `azure` read `threat_intelligence_mode`, Azure Native `threatIntelMode`; both default to `Alert`. Only `Deny` passes. Advisory by default. Firewalls without a policy: AZURE-NETWORK-007.",
        why: "Connections to command-and-control servers still succeed in Alert mode; Deny stops them.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.network.FirewallPolicy("hub", {
        // ...
        threatIntelligenceMode: "Alert",
    });

Pulumi Azure Native (TypeScript):

    new network.FirewallPolicy("hub", {
        // ...
        threatIntelMode: "Off",
    });

Terraform:

    resource "azurerm_firewall_policy" "hub" {
      # ...
      threat_intelligence_mode = "Alert"
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.network.FirewallPolicy("hub", {
        // ...
        threatIntelligenceMode: "Deny",
    });

Pulumi Azure Native (TypeScript):

    new network.FirewallPolicy("hub", {
        // ...
        threatIntelMode: "Deny",
    });

Terraform:

    resource "azurerm_firewall_policy" "hub" {
      # ...
      threat_intelligence_mode = "Deny"
    }"#,
        fix: "Set `Deny` after reviewing the alerts for false positives. guardrail's fix writes it and is unsafe.",
        references: &[
            "Microsoft Learn: Azure Firewall threat intelligence-based filtering — https://learn.microsoft.com/azure/firewall/threat-intel",
            "NIST SP 800-53 Rev. 5: SI-4, SC-7",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want::one_of("threatIntelligenceMode", &["Deny"], "Alert");

const NATIVE: Want = Want::one_of("threatIntelMode", &["Deny"], "Alert");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "firewall policy",
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
