//! AZURE-APPSERVICE-006: App Service apps have remote debugging off.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-APPSERVICE-006",
    name: "app-service-remote-debugging-off",
    title: "App Service apps have remote debugging off",
    description: "Remote debugging opens extra ports to the app's worker and is meant for short debugging sessions only.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["appservice"],
    topics: &["network", "hardening"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["2.2.4"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.9"] }, Control { framework: "nist-800-53", controls: &["CM-7"] }]),
    resource_types: &["azurerm_linux_web_app", "azure:appservice/linuxWebApp:LinuxWebApp", "azure-native:web:WebApp", "azurerm_windows_web_app", "azure:appservice/windowsWebApp:WindowsWebApp", "azurerm_linux_function_app", "azure:appservice/linuxFunctionApp:LinuxFunctionApp", "azurerm_windows_function_app", "azure:appservice/windowsFunctionApp:WindowsFunctionApp"],
    remediation: "Set `site_config { remote_debugging_enabled = false }` (Pulumi and Azure Native `siteConfig.remoteDebuggingEnabled: false`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "App Service web and function apps (`azurerm_linux_web_app`, `azurerm_windows_web_app`, `azurerm_linux_function_app`, `azurerm_windows_function_app`, their Pulumi `azure:appservice/...` spellings, and Azure Native `azure-native:web:WebApp`, which covers both web and function apps): `site_config[0].remote_debugging_enabled` (Pulumi and Azure Native `siteConfig.remoteDebuggingEnabled`) must not be `true`; the default is `false`.",
        why: "A debugger attached to production can read memory, including secrets and user data, and change execution; the debugging endpoints widen the app's attack surface while they are open.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.appservice.LinuxWebApp("orders", { /* ... */ siteConfig: { remoteDebuggingEnabled: true } });

Pulumi Azure Native (TypeScript):

    new web.WebApp("orders", { /* ... */ siteConfig: { remoteDebuggingEnabled: true } });

Terraform:

    resource "azurerm_windows_web_app" "orders" {
      # ...
      site_config {
        remote_debugging_enabled = true
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.appservice.LinuxWebApp("orders", { /* ... */ siteConfig: {} });

Pulumi Azure Native (TypeScript):

    new web.WebApp("orders", { /* ... */ siteConfig: { remoteDebuggingEnabled: false } });

Terraform:

    resource "azurerm_windows_web_app" "orders" {
      # ...
      site_config {
        remote_debugging_enabled = false
      }
    }"#,
        fix: "Turn it off; guardrail's fix (safe) writes `false`. Debug in a staging slot instead.",
        references: &[
            "Microsoft Learn: Security recommendations for App Service — https://learn.microsoft.com/azure/app-service/security-recommendations",
            "NIST SP 800-53 Rev. 5: CM-7",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want::off("siteConfig.remoteDebuggingEnabled", false);

const NATIVE: Want = Want::off("siteConfig.remoteDebuggingEnabled", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(view, BRIDGED, NATIVE, "app", "has remote debugging on")
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    setting_fix(
        view,
        (BRIDGED, Lit::Bool(false)),
        (NATIVE, Lit::Bool(false)),
    )
}
