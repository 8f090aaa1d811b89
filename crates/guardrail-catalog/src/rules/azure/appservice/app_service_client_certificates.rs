//! AZURE-APPSERVICE-007: App Service apps require client certificates.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-APPSERVICE-007",
    name: "app-service-client-certificates",
    title: "App Service apps require client certificates",
    description: "Requiring incoming client certificates lets only clients holding a trusted certificate reach the app.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["appservice"],
    topics: &["identity"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["9.4"] }, Control { framework: "nist-800-53", controls: &["IA-3"] }]),
    resource_types: &["azurerm_linux_web_app", "azure:appservice/linuxWebApp:LinuxWebApp", "azure-native:web:WebApp", "azurerm_windows_web_app", "azure:appservice/windowsWebApp:WindowsWebApp", "azurerm_linux_function_app", "azure:appservice/linuxFunctionApp:LinuxFunctionApp", "azurerm_windows_function_app", "azure:appservice/windowsFunctionApp:WindowsFunctionApp"],
    remediation: "Set `client_certificate_enabled = true` (Pulumi `clientCertificateEnabled`, Azure Native `clientCertEnabled: true`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "App Service web and function apps (`azurerm_linux_web_app`, `azurerm_windows_web_app`, `azurerm_linux_function_app`, `azurerm_windows_function_app`, their Pulumi `azure:appservice/...` spellings, and Azure Native `azure-native:web:WebApp`, which covers both web and function apps): `client_certificate_enabled` (Pulumi `clientCertificateEnabled`, Azure Native `clientCertEnabled`) must be `true`; the default is `false`. Advisory by default: it fits service-to-service APIs, not public websites.",
        why: "Mutual TLS authenticates the calling device or service before any application code runs, which stops anonymous traffic to internal APIs.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.appservice.LinuxWebApp("orders", { /* ... */ });

Pulumi Azure Native (TypeScript):

    new web.WebApp("orders", { /* ... */ });

Terraform:

    resource "azurerm_linux_web_app" "orders" {
      # ...
      client_certificate_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.appservice.LinuxWebApp("orders", { /* ... */ clientCertificateEnabled: true, clientCertificateMode: "Required" });

Pulumi Azure Native (TypeScript):

    new web.WebApp("orders", { /* ... */ clientCertEnabled: true, clientCertMode: "Required" });

Terraform:

    resource "azurerm_linux_web_app" "orders" {
      # ...
      client_certificate_enabled = true
      client_certificate_mode    = "Required"
    }"#,
        fix: "Issue certificates to the callers, then require them. No automatic fix: callers without a certificate are refused.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 9.4 Ensure the web app has 'Client Certificates (Incoming client certificates)' set to 'On'",
            "Microsoft Learn: Configure TLS mutual authentication for App Service — https://learn.microsoft.com/azure/app-service/app-service-web-configure-tls-mutual-auth",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on("clientCertificateEnabled", false);

const NATIVE: Want = Want::on("clientCertEnabled", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "app",
        "does not require client certificates",
    )
}
