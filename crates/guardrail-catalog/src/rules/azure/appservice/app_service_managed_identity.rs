//! AZURE-APPSERVICE-004: App Service apps use a managed identity.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-APPSERVICE-004",
    name: "app-service-managed-identity",
    title: "App Service apps use a managed identity",
    description: "Apps without a managed identity reach databases, storage and Key Vault with secrets kept in their settings.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["appservice"],
    topics: &["identity", "secrets"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["9.5"] }, Control { framework: "pci-dss", controls: &["8.2.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.5"] }, Control { framework: "nist-800-53", controls: &["IA-2", "IA-5"] }]),
    resource_types: &["azurerm_linux_web_app", "azure:appservice/linuxWebApp:LinuxWebApp", "azure-native:web:WebApp", "azurerm_windows_web_app", "azure:appservice/windowsWebApp:WindowsWebApp", "azurerm_linux_function_app", "azure:appservice/linuxFunctionApp:LinuxFunctionApp", "azurerm_windows_function_app", "azure:appservice/windowsFunctionApp:WindowsFunctionApp"],
    remediation: r#"Add `identity { type = "SystemAssigned" }` (Pulumi and Azure Native `identity: { type: "SystemAssigned" }`) and grant it the roles the app needs."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "App Service web and function apps (`azurerm_linux_web_app`, `azurerm_windows_web_app`, `azurerm_linux_function_app`, `azurerm_windows_function_app`, their Pulumi `azure:appservice/...` spellings, and Azure Native `azure-native:web:WebApp`, which covers both web and function apps): an `identity` block (system- or user-assigned) must be set. Unset is a violation. Advisory by default.",
        why: "A managed identity lets the app obtain Entra tokens for other Azure services without any stored credential: no connection string to leak from app settings, no secret to rotate.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.appservice.LinuxWebApp("orders", { /* ... no identity */ });

Pulumi Azure Native (TypeScript):

    new web.WebApp("orders", { /* ... no identity */ });

Terraform:

    resource "azurerm_linux_web_app" "orders" {
      # ... no identity block
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.appservice.LinuxWebApp("orders", { /* ... */ identity: { type: "SystemAssigned" } });

Pulumi Azure Native (TypeScript):

    new web.WebApp("orders", { /* ... */ identity: { type: "SystemAssigned" } });

Terraform:

    resource "azurerm_linux_web_app" "orders" {
      # ...
      identity {
        type = "SystemAssigned"
      }
    }"#,
        fix: "Add the identity, grant it roles, and replace connection-string secrets with identity-based connections. No automatic fix.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 9.5 Ensure that Register with Entra ID is enabled on App Service",
            "Microsoft Learn: Managed identities for App Service and Azure Functions — https://learn.microsoft.com/azure/app-service/overview-managed-identity",
            "NIST SP 800-53 Rev. 5: IA-2, IA-5",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::present("identity");

const NATIVE: Want = Want::present("identity");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(view, BRIDGED, NATIVE, "app", "has no managed identity")
}
