//! AZURE-APPSERVICE-013: App Service web apps keep HTTP logs.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-APPSERVICE-013",
    name: "app-service-http-logs",
    title: "App Service web apps keep HTTP logs",
    description: "HTTP logs record every request to the app: the first evidence when an app is probed or attacked.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["appservice"],
    topics: &["logging"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["10.2.1"] }, Control { framework: "soc2", controls: &["CC7.2"] }, Control { framework: "iso27001", controls: &["A.8.15"] }, Control { framework: "hipaa", controls: &["164.312(b)"] }, Control { framework: "nist-800-53", controls: &["AU-2", "AU-12"] }]),
    resource_types: &["azurerm_linux_web_app", "azure:appservice/linuxWebApp:LinuxWebApp", "azurerm_windows_web_app", "azure:appservice/windowsWebApp:WindowsWebApp"],
    remediation: "Set `logs.http_logs` (Pulumi `logs.httpLogs`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Web apps (`azurerm_linux_web_app`, `azurerm_windows_web_app`, Pulumi `azure:appservice/linuxWebApp:LinuxWebApp` and `windowsWebApp`): `logs[0].http_logs` (Pulumi `logs.httpLogs`) must be set. Unset is a violation. Azure Native configures logs on a separate `WebAppDiagnosticLogsConfiguration` resource, and diagnostic settings to Log Analytics meet the intent too. Advisory by default.",
        why: "Without request logs, probing, credential stuffing and exploitation attempts against the app leave no record to investigate.",
        noncompliant: "The web app without `logs.http_logs` (Pulumi `logs.httpLogs`) set.",
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.appservice.LinuxWebApp("orders", {
        // ...
        logs: { httpLogs: { fileSystem: { retentionInDays: 7, retentionInMb: 35 } } },
    });

Terraform:

    resource "azurerm_linux_web_app" "orders" {
      # ...
      logs {
        http_logs {
          file_system {
            retention_in_days = 7
            retention_in_mb = 35
          }
        }
      }
    }"#,
        fix: "Enable HTTP logs to the file system or blob storage, or a diagnostic setting with `AppServiceHTTPLogs`. No automatic fix.",
        references: &[
            "Microsoft Learn: Enable diagnostics logging for apps in Azure App Service — https://learn.microsoft.com/azure/app-service/troubleshoot-diagnostic-logs",
            "NIST SP 800-53 Rev. 5: AU-2, AU-12",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::present("logs.httpLogs");

const NATIVE: Want = Want::present("logs.httpLogs");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(view, BRIDGED, NATIVE, "web app", "keeps no HTTP logs")
}
