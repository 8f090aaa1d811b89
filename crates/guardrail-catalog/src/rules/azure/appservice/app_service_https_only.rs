//! AZURE-APPSERVICE-001: App Service apps redirect HTTP to HTTPS.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-APPSERVICE-001",
    name: "app-service-https-only",
    title: "App Service apps redirect HTTP to HTTPS",
    description: "An app that serves plain HTTP exposes session cookies, tokens and form data to anyone on the network path.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["appservice"],
    topics: &["encryption", "network"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["9.2"] }, Control { framework: "pci-dss", controls: &["4.2.1"] }, Control { framework: "soc2", controls: &["CC6.7"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "hipaa", controls: &["164.312(e)(1)"] }, Control { framework: "nist-800-53", controls: &["SC-8"] }]),
    resource_types: &["azurerm_linux_web_app", "azure:appservice/linuxWebApp:LinuxWebApp", "azure-native:web:WebApp", "azurerm_windows_web_app", "azure:appservice/windowsWebApp:WindowsWebApp", "azurerm_linux_function_app", "azure:appservice/linuxFunctionApp:LinuxFunctionApp", "azurerm_windows_function_app", "azure:appservice/windowsFunctionApp:WindowsFunctionApp"],
    remediation: "Set `https_only = true` (Pulumi and Azure Native `httpsOnly: true`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "App Service web and function apps (`azurerm_linux_web_app`, `azurerm_windows_web_app`, `azurerm_linux_function_app`, `azurerm_windows_function_app`, their Pulumi `azure:appservice/...` spellings, and Azure Native `azure-native:web:WebApp`, which covers both web and function apps): `https_only` (Pulumi and Azure Native `httpsOnly`) must be `true`; it defaults to `false` in both providers.",
        why: "Without the redirect, browsers and clients that start on `http://` keep talking in clear text; credentials and cookies can be read or altered in transit.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.appservice.LinuxWebApp("orders", { /* ... */ httpsOnly: false });

Pulumi Azure Native (TypeScript):

    new web.WebApp("orders", { /* ... */ serverFarmId: plan.id });

Terraform:

    resource "azurerm_linux_web_app" "orders" {
      # ...
      https_only = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.appservice.LinuxWebApp("orders", { /* ... */ httpsOnly: true });

Pulumi Azure Native (TypeScript):

    new web.WebApp("orders", { /* ... */ serverFarmId: plan.id, httpsOnly: true });

Terraform:

    resource "azurerm_linux_web_app" "orders" {
      # ...
      https_only = true
    }"#,
        fix: "Set it; guardrail's fix (safe) writes `httpsOnly`. App Service answers HTTP with a redirect afterwards.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 9.2 Ensure Web App Redirects All HTTP traffic to HTTPS in Azure App Service",
            "Microsoft Learn: Enforce HTTPS in App Service — https://learn.microsoft.com/azure/app-service/configure-ssl-bindings#enforce-https",
            "NIST SP 800-53 Rev. 5: SC-8",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want::on("httpsOnly", false);

const NATIVE: Want = Want::on("httpsOnly", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(view, BRIDGED, NATIVE, "app", "serves plain HTTP")
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    setting_fix(view, (BRIDGED, Lit::Bool(true)), (NATIVE, Lit::Bool(true)))
}
