//! AZURE-APPSERVICE-012: App Service apps require sign-in with App Service authentication.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-APPSERVICE-012",
    name: "app-service-authentication",
    title: "App Service apps require sign-in with App Service authentication",
    description: "App Service authentication (Easy Auth) signs users in before any request reaches the app's code.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["appservice"],
    topics: &["identity"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["9.1"] }, Control { framework: "pci-dss", controls: &["8.2.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.5"] }, Control { framework: "nist-800-53", controls: &["IA-2"] }]),
    resource_types: &["azurerm_linux_web_app", "azure:appservice/linuxWebApp:LinuxWebApp", "azurerm_windows_web_app", "azure:appservice/windowsWebApp:WindowsWebApp", "azurerm_linux_function_app", "azure:appservice/linuxFunctionApp:LinuxFunctionApp", "azurerm_windows_function_app", "azure:appservice/windowsFunctionApp:WindowsFunctionApp"],
    remediation: "Set `auth_settings_v2.auth_enabled = true` (Pulumi `authSettingsV2.authEnabled`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "App Service web and function apps (`azurerm_linux_web_app`, `azurerm_windows_web_app`, `azurerm_linux_function_app`, `azurerm_windows_function_app`, their Pulumi `azure:appservice/...` spellings): App Service authentication must be on: `auth_settings_v2[0].auth_enabled` (or the older `auth_settings[0].enabled`; Pulumi `authSettingsV2.authEnabled`). Unset is a violation. Azure Native configures it on a separate `WebAppAuthSettingsV2` resource. Advisory by default: public sites and apps with their own sign-in need no Easy Auth.",
        why: "Apps that implement sign-in themselves often leave routes open by mistake; platform authentication rejects anonymous requests before they reach the code.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.appservice.WindowsFunctionApp("orders", {
        // ...
        authSettingsV2: { authEnabled: false },
    });

Terraform:

    resource "azurerm_linux_web_app" "orders" {
      # ...
      auth_settings_v2 {
        auth_enabled = false
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.appservice.WindowsFunctionApp("orders", {
        // ...
        authSettingsV2: { authEnabled: true },
    });

Terraform:

    resource "azurerm_linux_web_app" "orders" {
      # ...
      auth_settings_v2 {
        auth_enabled = true
      }
    }"#,
        fix: "Configure an identity provider in `auth_settings_v2` and require authentication. No automatic fix: the provider must be chosen.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 9.1 Ensure App Service Authentication is set up for apps in Azure App Service",
            "Microsoft Learn: Authentication and authorization in Azure App Service — https://learn.microsoft.com/azure/app-service/overview-authentication-authorization",
            "NIST SP 800-53 Rev. 5: IA-2",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on("authSettingsV2.authEnabled|authSettings.enabled", false);

const NATIVE: Want = Want::on("authSettingsV2.authEnabled", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(view, BRIDGED, NATIVE, "app", "does not require sign-in")
}
