//! AZURE-NETWORK-014: Premium firewall policies block intrusions.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{is_native, read, setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-NETWORK-014",
    name: "firewall-policy-idps-deny",
    title: "Premium firewall policies block intrusions",
    description: "The intrusion detection and prevention system (IDPS) of Azure Firewall Premium only alerts unless set to deny.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["network"],
    topics: &["network", "threat-detection"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["11.5.1"] }, Control { framework: "soc2", controls: &["CC7.2"] }, Control { framework: "iso27001", controls: &["A.8.16"] }, Control { framework: "nist-800-53", controls: &["SI-4"] }]),
    resource_types: &["azurerm_firewall_policy", "azure:network/firewallPolicy:FirewallPolicy", "azure-native:network:FirewallPolicy"],
    remediation: r#"Set `intrusion_detection.mode = "Deny"` (Pulumi `intrusionDetection.mode`, Azure Native `intrusionDetection.mode: "Deny"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Premium firewall policies in every spelling: `intrusion_detection[0].mode` (Pulumi and Azure Native `intrusionDetection.mode`) must be `Deny`; `Off` (the default without the block) and `Alert` are violations. Standard and Basic policies (`sku` / `sku.tier`) have no IDPS and are not applicable. Advisory by default.",
        why: "Signature-based IDPS recognises exploit traffic, malware and command-and-control; in Alert mode it watches the intrusion happen.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.network.FirewallPolicy("hub", {
        // ...
        intrusionDetection: { mode: "Alert" },
    });

Pulumi Azure Native (TypeScript):

    new network.FirewallPolicy("hub", {
        // ...
        intrusionDetection: { mode: "Alert" },
    });

Terraform:

    resource "azurerm_firewall_policy" "hub" {
      # ...
      intrusion_detection {
        mode = "Alert"
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.network.FirewallPolicy("hub", {
        // ...
        intrusionDetection: { mode: "Deny" },
    });

Pulumi Azure Native (TypeScript):

    new network.FirewallPolicy("hub", {
        // ...
        intrusionDetection: { mode: "Deny" },
    });

Terraform:

    resource "azurerm_firewall_policy" "hub" {
      # ...
      intrusion_detection {
        mode = "Deny"
      }
    }"#,
        fix: "Set the mode to `Deny` after tuning in Alert mode. No automatic fix.",
        references: &[
            "Microsoft Learn: Azure Firewall Premium features (IDPS) — https://learn.microsoft.com/azure/firewall/premium-features#idps",
            "PCI DSS v4.0: 11.5.1; NIST SP 800-53 Rev. 5: SI-4",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::one_of("intrusionDetection.mode", &["Deny"], "Off");

const NATIVE: Want = Want::one_of("intrusionDetection.mode", &["Deny"], "Off");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let sku = if is_native(view) { "sku.tier" } else { "sku" };
    if !read(view, sku)?
        .and_then(|v| v.as_str())
        .is_some_and(|s| s.eq_ignore_ascii_case("Premium"))
    {
        return Ok(Verdict::not_applicable("not a Premium firewall policy"));
    }
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "firewall policy",
        "does not block intrusions",
    )
}
