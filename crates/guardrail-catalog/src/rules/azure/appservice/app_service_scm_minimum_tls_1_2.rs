//! AZURE-APPSERVICE-011: App Service deployment (SCM) sites refuse TLS versions below 1.2.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-APPSERVICE-011",
    name: "app-service-scm-minimum-tls-1-2",
    title: "App Service deployment (SCM) sites refuse TLS versions below 1.2",
    description: "The Kudu/SCM site that receives deployments has its own minimum TLS version.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["appservice"],
    topics: &["encryption", "network"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["9.3"] }, Control { framework: "pci-dss", controls: &["4.2.1"] }, Control { framework: "soc2", controls: &["CC6.7"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "hipaa", controls: &["164.312(e)(1)"] }, Control { framework: "nist-800-53", controls: &["SC-8"] }]),
    resource_types: &["azurerm_linux_web_app", "azure:appservice/linuxWebApp:LinuxWebApp", "azure-native:web:WebApp", "azurerm_windows_web_app", "azure:appservice/windowsWebApp:WindowsWebApp", "azurerm_linux_function_app", "azure:appservice/linuxFunctionApp:LinuxFunctionApp", "azurerm_windows_function_app", "azure:appservice/windowsFunctionApp:WindowsFunctionApp"],
    remediation: r#"Set `site_config.scm_minimum_tls_version = "1.2"` (Pulumi `siteConfig.scmMinimumTlsVersion`, Azure Native `siteConfig.scmMinTlsVersion: "1.2"`)."#,
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "App Service web and function apps (`azurerm_linux_web_app`, `azurerm_windows_web_app`, `azurerm_linux_function_app`, `azurerm_windows_function_app`, their Pulumi `azure:appservice/...` spellings, and Azure Native `azure-native:web:WebApp`, which covers both web and function apps): the SCM site's minimum TLS version (`site_config[0].scm_minimum_tls_version`, Pulumi `siteConfig.scmMinimumTlsVersion`, Azure Native `siteConfig.scmMinTlsVersion`) must be 1.2 or later; unset means the default, `1.2`.",
        why: "Deployment credentials and code travel to the SCM site; a deprecated TLS version there exposes them to downgrade attacks.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.appservice.WindowsFunctionApp("orders", {
        // ...
        siteConfig: { scmMinimumTlsVersion: "1.0" },
    });

Pulumi Azure Native (TypeScript):

    new web.WebApp("orders", {
        // ...
        siteConfig: { scmMinTlsVersion: "1.1" },
    });

Terraform:

    resource "azurerm_linux_web_app" "orders" {
      # ...
      site_config {
        scm_minimum_tls_version = "1.0"
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.appservice.WindowsFunctionApp("orders", {
        // ...
        siteConfig: { scmMinimumTlsVersion: "1.2" },
    });

Pulumi Azure Native (TypeScript):

    new web.WebApp("orders", {
        // ...
        siteConfig: { scmMinTlsVersion: "1.2" },
    });

Terraform:

    resource "azurerm_linux_web_app" "orders" {
      # ...
      site_config {
        scm_minimum_tls_version = "1.2"
      }
    }"#,
        fix: "Set `1.2`; guardrail's fix (safe) writes it.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 9.3 Ensure Web App is using the latest version of TLS encryption",
            "Microsoft Learn: TLS/SSL settings in Azure App Service — https://learn.microsoft.com/azure/app-service/configure-ssl-bindings#enforce-tls-versions",
            "NIST SP 800-53 Rev. 5: SC-8",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want::tls("siteConfig.scmMinimumTlsVersion", 1, 2, "1.2");

const NATIVE: Want = Want::tls("siteConfig.scmMinTlsVersion", 1, 2, "1.2");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "app",
        "accepts TLS versions below 1.2 on its deployment site",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    setting_fix(
        view,
        (BRIDGED, Lit::Text("1.2")),
        (NATIVE, Lit::Text("1.2")),
    )
}
