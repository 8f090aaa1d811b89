//! AZURE-MONITOR-006: Diagnostic settings collect resource logs, not only metrics.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, is_native, items_of, read_in};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-MONITOR-006",
    name: "diagnostic-setting-collects-logs",
    title: "Diagnostic settings collect resource logs, not only metrics",
    description: "A diagnostic setting that exports only metrics leaves out the resource's audit and request logs.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["monitor"],
    topics: &["logging"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["5.1.2", "5.1.5"] }, Control { framework: "pci-dss", controls: &["10.2.1"] }, Control { framework: "soc2", controls: &["CC7.2"] }, Control { framework: "iso27001", controls: &["A.8.15"] }, Control { framework: "hipaa", controls: &["164.312(b)"] }, Control { framework: "nist-800-53", controls: &["AU-2", "AU-12"] }]),
    resource_types: &["azurerm_monitor_diagnostic_setting", "azure:monitoring/diagnosticSetting:DiagnosticSetting", "azure-native:insights:DiagnosticSetting"],
    remediation: r#"Add `enabled_log { category_group = "allLogs" }` (or `audit`) to the setting (Pulumi `enabledLogs`, Azure Native `logs` with `enabled: true`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Diagnostic settings (`azurerm_monitor_diagnostic_setting`, Pulumi `azure:monitoring/diagnosticSetting:DiagnosticSetting`, Azure Native `azure-native:insights:DiagnosticSetting`) must enable at least one log category or category group: Terraform `enabled_log` blocks (or the older `log` blocks with `enabled = true`), Pulumi `enabledLogs`, Azure Native `logs` entries with `enabled: true`. A setting with metrics only is a violation.",
        why: "Resource logs are the audit trail (Key Vault `AuditEvent`, SQL audit, storage reads); a setting that ships only metrics looks like logging is set up while the evidence is missing.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.monitoring.DiagnosticSetting("kv", {
        // ...
        metrics: [{ category: "AllMetrics", enabled: true }],
    });

Pulumi Azure Native (TypeScript):

    new insights.DiagnosticSetting("kv", {
        // ...
        metrics: [{ category: "AllMetrics", enabled: true }],
    });

Terraform:

    resource "azurerm_monitor_diagnostic_setting" "kv" {
      # ...
      metrics {
        category = "AllMetrics"
        enabled = true
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.monitoring.DiagnosticSetting("kv", {
        // ...
        enabledLogs: [{ categoryGroup: "audit" }],
    });

Pulumi Azure Native (TypeScript):

    new insights.DiagnosticSetting("kv", {
        // ...
        logs: [{ categoryGroup: "allLogs", enabled: true }],
    });

Terraform:

    resource "azurerm_monitor_diagnostic_setting" "kv" {
      # ...
      enabled_logs {
        category_group = "audit"
      }
    }"#,
        fix: "Add the `audit` or `allLogs` category group. No automatic fix: logs are billed by volume.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 5.1.2 Ensure Diagnostic Setting captures appropriate categories; 5.1.5 Ensure that logging for Azure Key Vault is 'Enabled'",
            "Microsoft Learn: Diagnostic settings in Azure Monitor — https://learn.microsoft.com/azure/azure-monitor/essentials/diagnostic-settings",
            "NIST SP 800-53 Rev. 5: AU-2, AU-12",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let spelling = view.resource.spelling;
    // Terraform `enabled_log` (always on), the older `log` blocks and Azure Native `logs` (each
    // with `enabled`)
    if !items_of(view, &["enabledLogs", "enabledLog"])?.is_empty() {
        return Ok(Verdict::Pass);
    }
    for (path, entry) in items_of(view, &["logs", "log"])? {
        match read_in(entry, spelling, &path, "enabled")?.and_then(|v| v.as_bool()) {
            Some(false) => {}
            _ => return Ok(Verdict::Pass),
        }
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "diagnostic setting `{}` collects no resource logs (metrics only)",
            view.resource.name
        ))
        .at(at(
            view,
            if is_native(view) {
                "logs"
            } else {
                "enabledLogs"
            },
        )),
    ))
}
