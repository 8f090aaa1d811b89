//! AZURE-APPSERVICE-005: App Service apps serve HTTP/2.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-APPSERVICE-005",
    name: "app-service-http2",
    title: "App Service apps serve HTTP/2",
    description: "HTTP/2 removes head-of-line blocking and header inefficiencies of HTTP/1.1; the benchmark asks for the latest HTTP version.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["appservice"],
    topics: &["network"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["9.9"] }, Control { framework: "nist-800-53", controls: &["SC-8"] }]),
    resource_types: &["azurerm_linux_web_app", "azure:appservice/linuxWebApp:LinuxWebApp", "azure-native:web:WebApp", "azurerm_windows_web_app", "azure:appservice/windowsWebApp:WindowsWebApp", "azurerm_linux_function_app", "azure:appservice/linuxFunctionApp:LinuxFunctionApp", "azurerm_windows_function_app", "azure:appservice/windowsFunctionApp:WindowsFunctionApp"],
    remediation: "Set `site_config { http2_enabled = true }` (Pulumi `siteConfig.http2Enabled`, Azure Native `siteConfig.http20Enabled`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "App Service web and function apps (`azurerm_linux_web_app`, `azurerm_windows_web_app`, `azurerm_linux_function_app`, `azurerm_windows_function_app`, their Pulumi `azure:appservice/...` spellings, and Azure Native `azure-native:web:WebApp`, which covers both web and function apps): `site_config[0].http2_enabled` (Pulumi `siteConfig.http2Enabled`, Azure Native `siteConfig.http20Enabled`) must be `true`; both default to `false`. Advisory by default.",
        why: "HTTP/2 is negotiated only over TLS and carries current security fixes of the protocol stack; the CIS benchmark asks for the latest HTTP version to stay on maintained code paths.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.appservice.LinuxWebApp("orders", { /* ... */ siteConfig: {} });

Pulumi Azure Native (TypeScript):

    new web.WebApp("orders", { /* ... */ siteConfig: { http20Enabled: false } });

Terraform:

    resource "azurerm_linux_web_app" "orders" {
      # ...
      site_config {
        http2_enabled = false
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.appservice.LinuxWebApp("orders", { /* ... */ siteConfig: { http2Enabled: true } });

Pulumi Azure Native (TypeScript):

    new web.WebApp("orders", { /* ... */ siteConfig: { http20Enabled: true } });

Terraform:

    resource "azurerm_linux_web_app" "orders" {
      # ...
      site_config {
        http2_enabled = true
      }
    }"#,
        fix: "Turn it on; guardrail's fix (safe) writes it. Clients without HTTP/2 fall back to HTTP/1.1.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 9.9 Ensure that 'HTTP Version' is the Latest, if Used to Run the Web App",
            "Microsoft Learn: Configure an App Service app (general settings) — https://learn.microsoft.com/azure/app-service/configure-common",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want::on("siteConfig.http2Enabled", false);

const NATIVE: Want = Want::on("siteConfig.http20Enabled", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(view, BRIDGED, NATIVE, "app", "does not serve HTTP/2")
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    setting_fix(view, (BRIDGED, Lit::Bool(true)), (NATIVE, Lit::Bool(true)))
}
