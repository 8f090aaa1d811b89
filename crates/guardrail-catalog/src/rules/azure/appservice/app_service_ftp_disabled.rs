//! AZURE-APPSERVICE-003: App Service apps do not accept plain FTP.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-APPSERVICE-003",
    name: "app-service-ftp-disabled",
    title: "App Service apps do not accept plain FTP",
    description: "Plain FTP deployment sends the publishing credentials and the app's code in clear text.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["appservice"],
    topics: &["encryption", "network"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["9.10"] }, Control { framework: "pci-dss", controls: &["4.2.1"] }, Control { framework: "soc2", controls: &["CC6.7"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "hipaa", controls: &["164.312(e)(1)"] }, Control { framework: "nist-800-53", controls: &["SC-8"] }]),
    resource_types: &["azurerm_linux_web_app", "azure:appservice/linuxWebApp:LinuxWebApp", "azure-native:web:WebApp", "azurerm_windows_web_app", "azure:appservice/windowsWebApp:WindowsWebApp", "azurerm_linux_function_app", "azure:appservice/linuxFunctionApp:LinuxFunctionApp", "azurerm_windows_function_app", "azure:appservice/windowsFunctionApp:WindowsFunctionApp"],
    remediation: r#"Set `site_config { ftps_state = "Disabled" }` (or `FtpsOnly`; Pulumi and Azure Native `siteConfig.ftpsState`)."#,
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "App Service web and function apps (`azurerm_linux_web_app`, `azurerm_windows_web_app`, `azurerm_linux_function_app`, `azurerm_windows_function_app`, their Pulumi `azure:appservice/...` spellings, and Azure Native `azure-native:web:WebApp`, which covers both web and function apps): the FTP state (`site_config[0].ftps_state`, Pulumi and Azure Native `siteConfig.ftpsState`) must be `Disabled` or `FtpsOnly`. The azurerm default is `Disabled`; Azure Native leaves it to the API, which has kept `AllAllowed` for apps that do not set it, so unset is a violation there.",
        why: "Over plain FTP the deployment credentials and every file of the app cross the network unencrypted; anyone who captures them can replace the code.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.appservice.LinuxWebApp("orders", { /* ... */ siteConfig: { ftpsState: "AllAllowed" } });

Pulumi Azure Native (TypeScript):

    new web.WebApp("orders", { /* ... */ siteConfig: { linuxFxVersion: "NODE|20-lts" } });

Terraform:

    resource "azurerm_linux_web_app" "orders" {
      # ...
      site_config {
        ftps_state = "AllAllowed"
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.appservice.LinuxWebApp("orders", { /* ... */ siteConfig: { ftpsState: "Disabled" } });

Pulumi Azure Native (TypeScript):

    new web.WebApp("orders", { /* ... */ siteConfig: { ftpsState: "Disabled" } });

Terraform:

    resource "azurerm_linux_web_app" "orders" {
      # ...
      site_config {
        ftps_state = "Disabled"
      }
    }"#,
        fix: "Set `Disabled` (deploy with zip deploy, containers or CI) or `FtpsOnly`. guardrail's fix writes `Disabled` and is unsafe: FTP deployments stop.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 9.10 Ensure FTP deployments are Disabled",
            "Microsoft Learn: Deploy your app to Azure App Service using FTP/S (enforce FTPS) — https://learn.microsoft.com/azure/app-service/deploy-ftp#enforce-ftps",
            "NIST SP 800-53 Rev. 5: SC-8",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want::one_of(
    "siteConfig.ftpsState",
    &["Disabled", "FtpsOnly"],
    "Disabled",
);

const NATIVE: Want = Want::one_of(
    "siteConfig.ftpsState",
    &["Disabled", "FtpsOnly"],
    "AllAllowed",
);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(view, BRIDGED, NATIVE, "app", "accepts plain FTP")
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    setting_fix(
        view,
        (BRIDGED, Lit::Text("Disabled")),
        (NATIVE, Lit::Text("Disabled")),
    )
}
