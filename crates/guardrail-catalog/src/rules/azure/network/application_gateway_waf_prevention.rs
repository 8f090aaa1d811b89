//! AZURE-NETWORK-012: Application gateway WAFs block attacks instead of only logging them.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{is_native, setting_verdict, standing, Standing, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-NETWORK-012",
    name: "application-gateway-waf-prevention",
    title: "Application gateway WAFs block attacks instead of only logging them",
    description: "A web application firewall in Detection mode logs attacks and lets them through.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["network"],
    topics: &["network", "threat-detection"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["6.4.2"] }, Control { framework: "nist-800-53", controls: &["SI-4", "SC-7"] }]),
    resource_types: &["azurerm_application_gateway", "azure:network/applicationGateway:ApplicationGateway", "azure-native:network:ApplicationGateway"],
    remediation: r#"Set `waf_configuration.firewall_mode = "Prevention"` (Pulumi `wafConfiguration.firewallMode`, Azure Native `webApplicationFirewallConfiguration.firewallMode: "Prevention"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Application gateways with an inline WAF configuration (`waf_configuration`, Pulumi `wafConfiguration`, Azure Native `webApplicationFirewallConfiguration`): its `firewall_mode` (`firewallMode`) must be `Prevention`. Gateways without an inline configuration are not applicable (a WAF policy, or no WAF: AZURE-NETWORK-008).",
        why: "Detection mode is for tuning; left on, every injection and scripting attempt the rules recognise still reaches the application.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.network.ApplicationGateway("web", {
        // ...
        wafConfiguration: { firewallMode: "Detection" },
    });

Pulumi Azure Native (TypeScript):

    new network.ApplicationGateway("web", {
        // ...
        webApplicationFirewallConfiguration: { firewallMode: "Detection" },
    });

Terraform:

    resource "azurerm_application_gateway" "web" {
      # ...
      waf_configuration {
        firewall_mode = "Detection"
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.network.ApplicationGateway("web", {
        // ...
        wafConfiguration: { firewallMode: "Prevention" },
    });

Pulumi Azure Native (TypeScript):

    new network.ApplicationGateway("web", {
        // ...
        webApplicationFirewallConfiguration: { firewallMode: "Prevention" },
    });

Terraform:

    resource "azurerm_application_gateway" "web" {
      # ...
      waf_configuration {
        firewall_mode = "Prevention"
      }
    }"#,
        fix: "Tune the rules in Detection mode, then switch to Prevention. No automatic fix: false positives would block users.",
        references: &[
            "Microsoft Learn: Web Application Firewall modes on Application Gateway — https://learn.microsoft.com/azure/web-application-firewall/ag/ag-overview#waf-modes",
            "PCI DSS v4.0: 6.4.2",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::one_of(
    "wafConfiguration.firewallMode",
    &["Prevention"],
    "Detection",
);

const NATIVE: Want = Want::one_of(
    "webApplicationFirewallConfiguration.firewallMode",
    &["Prevention"],
    "Detection",
);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let block = if is_native(view) {
        "webApplicationFirewallConfiguration"
    } else {
        "wafConfiguration"
    };
    if standing(view, Want::present(block))? != Standing::Good {
        return Ok(Verdict::not_applicable("no inline WAF configuration"));
    }
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "application gateway",
        "only detects attacks",
    )
}
