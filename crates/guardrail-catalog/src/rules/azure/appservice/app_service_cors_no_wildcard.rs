//! AZURE-APPSERVICE-014: App Service apps do not allow cross-origin requests from every site.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, string_list};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-APPSERVICE-014",
    name: "app-service-cors-no-wildcard",
    title: "App Service apps do not allow cross-origin requests from every site",
    description: "A CORS origin of `*` lets scripts on any website call the app's API from a visitor's browser.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["appservice"],
    topics: &["network"],
    frameworks: Frameworks::Mapped(&[Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.26"] }, Control { framework: "nist-800-53", controls: &["AC-4"] }]),
    resource_types: &["azurerm_linux_web_app", "azure:appservice/linuxWebApp:LinuxWebApp", "azure-native:web:WebApp", "azurerm_windows_web_app", "azure:appservice/windowsWebApp:WindowsWebApp", "azurerm_linux_function_app", "azure:appservice/linuxFunctionApp:LinuxFunctionApp", "azurerm_windows_function_app", "azure:appservice/windowsFunctionApp:WindowsFunctionApp"],
    remediation: "List the origins that may call the app in `site_config.cors.allowed_origins` (Pulumi and Azure Native `siteConfig.cors.allowedOrigins`) instead of `*`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "App Service web and function apps (`azurerm_linux_web_app`, `azurerm_windows_web_app`, `azurerm_linux_function_app`, `azurerm_windows_function_app`, their Pulumi `azure:appservice/...` spellings, and Azure Native `azure-native:web:WebApp`, which covers both web and function apps): no entry of the site's CORS allowed origins (`site_config[0].cors[0].allowed_origins`, Pulumi and Azure Native `siteConfig.cors.allowedOrigins`) may be `*`.",
        why: "With `*`, any page a user visits can send requests to the app and read the answers, which turns the app into a data source for third-party sites and widens the reach of cross-site request attacks.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.appservice.WindowsFunctionApp("orders", {
        // ...
        siteConfig: { cors: { allowedOrigins: ["*"] } },
    });

Pulumi Azure Native (TypeScript):

    new web.WebApp("orders", {
        // ...
        siteConfig: { cors: { allowedOrigins: ["*"] } },
    });

Terraform:

    resource "azurerm_linux_web_app" "orders" {
      # ...
      site_config {
        cors {
          allowed_origins = ["*"]
        }
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.appservice.WindowsFunctionApp("orders", {
        // ...
        siteConfig: { cors: { allowedOrigins: ["https://shop.example.com"] } },
    });

Pulumi Azure Native (TypeScript):

    new web.WebApp("orders", {
        // ...
        siteConfig: { cors: { allowedOrigins: ["https://shop.example.com"] } },
    });

Terraform:

    resource "azurerm_linux_web_app" "orders" {
      # ...
      site_config {
        cors {
          allowed_origins = ["https://shop.example.com"]
        }
      }
    }"#,
        fix: "List the front-end origins explicitly. No automatic fix: the origins must be known.",
        references: &[
            "Microsoft Learn: Enable CORS in App Service — https://learn.microsoft.com/azure/app-service/app-service-web-tutorial-rest-api#enable-cors",
            "NIST SP 800-53 Rev. 5: AC-4",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let origins = string_list(view, "siteConfig.cors.allowedOrigins")?;
    if !origins.iter().any(|o| o.trim() == "*") {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "app `{}` allows cross-origin requests from every site (`*` in `{}`)",
            view.resource.name,
            at(view, "siteConfig.cors.allowedOrigins")
        ))
        .at(at(view, "siteConfig.cors.allowedOrigins")),
    ))
}
