//! AZURE-NETWORK-008: Application gateways filter traffic with a web application firewall.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{is_native, standing, Standing, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-NETWORK-008",
    name: "application-gateway-waf-enabled",
    title: "Application gateways filter traffic with a web application firewall",
    description: "An application gateway without a WAF forwards injection, cross-site scripting and protocol attacks straight to the backends.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["network"],
    topics: &["network", "threat-detection"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["6.4.2"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20"] }, Control { framework: "nist-800-53", controls: &["SC-7", "SI-4"] }]),
    resource_types: &["azurerm_application_gateway", "azure:network/applicationGateway:ApplicationGateway", "azure-native:network:ApplicationGateway"],
    remediation: "Use the WAF_v2 tier with a WAF policy (`firewall_policy_id`, Azure Native `firewallPolicy.id`) or `waf_configuration { enabled = true }` (Azure Native `webApplicationFirewallConfiguration.enabled`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Application gateways (`azurerm_application_gateway`, Pulumi `azure:network/applicationGateway:ApplicationGateway`, Azure Native `azure-native:network:ApplicationGateway`) pass when a WAF policy is attached (`firewall_policy_id`, Pulumi `firewallPolicyId`, Azure Native `firewallPolicy.id`) or the inline WAF configuration is enabled (`waf_configuration[0].enabled`, Pulumi `wafConfiguration.enabled`, Azure Native `webApplicationFirewallConfiguration.enabled`). Otherwise a violation.",
        why: "Public web applications receive automated attacks on every known vulnerability class; a WAF with the OWASP core rule set blocks much of it before it reaches the application, and PCI DSS asks for such a solution in front of public-facing web apps.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.network.ApplicationGateway("web", { /* ... */ sku: { name: "Standard_v2", tier: "Standard_v2", capacity: 2 } });

Pulumi Azure Native (TypeScript):

    new network.ApplicationGateway("web", { /* ... */ sku: { name: "Standard_v2", tier: "Standard_v2", capacity: 2 } });

Terraform:

    resource "azurerm_application_gateway" "web" {
      # ...
      sku {
        name     = "Standard_v2"
        tier     = "Standard_v2"
        capacity = 2
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.network.ApplicationGateway("web", { /* ... */ sku: { name: "WAF_v2", tier: "WAF_v2", capacity: 2 }, firewallPolicyId: wafPolicy.id });

Pulumi Azure Native (TypeScript):

    new network.ApplicationGateway("web", { /* ... */ sku: { name: "WAF_v2", tier: "WAF_v2", capacity: 2 }, firewallPolicy: { id: wafPolicy.id } });

Terraform:

    resource "azurerm_application_gateway" "web" {
      # ...
      sku {
        name     = "WAF_v2"
        tier     = "WAF_v2"
        capacity = 2
      }
      firewall_policy_id = azurerm_web_application_firewall_policy.web.id
    }"#,
        fix: "Move to the WAF_v2 tier and attach a WAF policy in Detection mode, then Prevention once tuned. No automatic fix.",
        references: &[
            "Microsoft Learn: Azure Web Application Firewall on Azure Application Gateway — https://learn.microsoft.com/azure/web-application-firewall/ag/ag-overview",
            "PCI DSS v4.0: 6.4.2; NIST SP 800-53 Rev. 5: SC-7, SI-4",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let native = is_native(view);
    let policy = Want::present(if native {
        "firewallPolicy.id"
    } else {
        "firewallPolicyId"
    });
    if standing(view, policy)? == Standing::Good {
        return Ok(Verdict::Pass);
    }
    let inline = Want::on(
        if native {
            "webApplicationFirewallConfiguration.enabled"
        } else {
            "wafConfiguration.enabled"
        },
        false,
    );
    match standing(view, inline)? {
        Standing::Good => Ok(Verdict::Pass),
        Standing::Bad { note, path } => Ok(Verdict::violation(
            Violation::new(format!(
                "application gateway `{}` has no web application firewall (no WAF policy, and {note})",
                view.resource.name
            ))
            .at(path),
        )),
    }
}
