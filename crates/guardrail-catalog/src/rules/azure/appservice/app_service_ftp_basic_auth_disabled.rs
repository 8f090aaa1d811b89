//! AZURE-APPSERVICE-009: App Service apps refuse FTP publishing with basic credentials.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-APPSERVICE-009",
    name: "app-service-ftp-basic-auth-disabled",
    title: "App Service apps refuse FTP publishing with basic credentials",
    description: "Basic publishing credentials are a username and password outside Microsoft Entra ID that can deploy code to the app.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["appservice"],
    topics: &["identity"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["8.2.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.5"] }, Control { framework: "nist-800-53", controls: &["IA-2"] }]),
    resource_types: &["azurerm_linux_web_app", "azure:appservice/linuxWebApp:LinuxWebApp", "azurerm_windows_web_app", "azure:appservice/windowsWebApp:WindowsWebApp", "azurerm_linux_function_app", "azure:appservice/linuxFunctionApp:LinuxFunctionApp", "azurerm_windows_function_app", "azure:appservice/windowsFunctionApp:WindowsFunctionApp"],
    remediation: "Set `ftp_publish_basic_authentication_enabled = false` (Pulumi `ftpPublishBasicAuthenticationEnabled`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "App Service web and function apps (`azurerm_linux_web_app`, `azurerm_windows_web_app`, `azurerm_linux_function_app`, `azurerm_windows_function_app`, their Pulumi `azure:appservice/...` spellings): `ftp_publish_basic_authentication_enabled` (Pulumi `ftpPublishBasicAuthenticationEnabled`) must be `false`; the default is `true`. Azure Native sets it on a separate `WebAppFtpAllowed` resource.",
        why: "Whoever obtains the publish profile can replace the app's code; the credentials are not covered by MFA or conditional access and are often kept in CI variables.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.appservice.WindowsFunctionApp("orders", {
        // ...
        ftpPublishBasicAuthenticationEnabled: true,
    });

Terraform:

    resource "azurerm_linux_web_app" "orders" {
      # ...
      ftp_publish_basic_authentication_enabled = true
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.appservice.WindowsFunctionApp("orders", {
        // ...
        ftpPublishBasicAuthenticationEnabled: false,
    });

Terraform:

    resource "azurerm_linux_web_app" "orders" {
      # ...
      ftp_publish_basic_authentication_enabled = false
    }"#,
        fix: "Deploy with Entra-authenticated methods (zip deploy with a service principal, GitHub OIDC) and turn basic FTP auth off. No automatic fix.",
        references: &[
            "Microsoft Learn: Disable basic authentication in App Service deployments — https://learn.microsoft.com/azure/app-service/configure-basic-auth-disable",
            "NIST SP 800-53 Rev. 5: IA-2",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::off("ftpPublishBasicAuthenticationEnabled", true);

const NATIVE: Want = Want::off("ftpPublishBasicAuthenticationEnabled", true);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "app",
        "accepts FTP publishing with basic credentials",
    )
}
