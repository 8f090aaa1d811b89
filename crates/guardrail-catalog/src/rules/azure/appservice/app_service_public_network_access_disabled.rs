//! AZURE-APPSERVICE-008: App Service apps are reached through private endpoints only.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-APPSERVICE-008",
    name: "app-service-public-network-access-disabled",
    title: "App Service apps are reached through private endpoints only",
    description: "Internal apps with public network access are reachable from the internet even when only private clients use them.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["appservice"],
    topics: &["network", "public-access"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_linux_web_app", "azure:appservice/linuxWebApp:LinuxWebApp", "azure-native:web:WebApp", "azurerm_windows_web_app", "azure:appservice/windowsWebApp:WindowsWebApp", "azurerm_linux_function_app", "azure:appservice/linuxFunctionApp:LinuxFunctionApp", "azurerm_windows_function_app", "azure:appservice/windowsFunctionApp:WindowsFunctionApp"],
    remediation: r#"Set `public_network_access_enabled = false` (Pulumi `publicNetworkAccessEnabled`, Azure Native `publicNetworkAccess: "Disabled"`) and add a private endpoint."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "App Service web and function apps (`azurerm_linux_web_app`, `azurerm_windows_web_app`, `azurerm_linux_function_app`, `azurerm_windows_function_app`, their Pulumi `azure:appservice/...` spellings, and Azure Native `azure-native:web:WebApp`, which covers both web and function apps): `public_network_access_enabled` (Pulumi `publicNetworkAccessEnabled`, default `true`) must be `false`, Azure Native `publicNetworkAccess` (unset: `Enabled`) must be `Disabled`. Advisory by default: public websites need public access.",
        why: "An internal API or back office exposed to the internet invites scanning and exploitation of its framework; a private endpoint keeps it on the private network.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.appservice.LinuxWebApp("orders", { /* ... */ });

Pulumi Azure Native (TypeScript):

    new web.WebApp("orders", { /* ... */ publicNetworkAccess: "Enabled" });

Terraform:

    resource "azurerm_linux_web_app" "orders" {
      # ...
      public_network_access_enabled = true
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.appservice.LinuxWebApp("orders", { /* ... */ publicNetworkAccessEnabled: false });

Pulumi Azure Native (TypeScript):

    new web.WebApp("orders", { /* ... */ publicNetworkAccess: "Disabled" });

Terraform:

    resource "azurerm_linux_web_app" "orders" {
      # ...
      public_network_access_enabled = false
    }"#,
        fix: "Add a private endpoint (sub-resource `sites`), then disable public access. No automatic fix.",
        references: &[
            "Microsoft Learn: Using private endpoints for App Service apps — https://learn.microsoft.com/azure/app-service/overview-private-endpoint",
            "NIST SP 800-53 Rev. 5: SC-7",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::off("publicNetworkAccessEnabled", true);

const NATIVE: Want = Want::one_of("publicNetworkAccess", &["Disabled"], "Enabled");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "app",
        "is reachable from public networks",
    )
}
