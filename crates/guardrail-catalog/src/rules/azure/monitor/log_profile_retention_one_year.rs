//! AZURE-MONITOR-001: Activity log profiles keep logs for at least a year.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-MONITOR-001",
    name: "log-profile-retention-one-year",
    title: "Activity log profiles keep logs for at least a year",
    description: "Activity logs kept for less than a year are gone before many incidents are discovered and investigated.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["monitor"],
    topics: &["logging"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["10.5.1"] }, Control { framework: "soc2", controls: &["CC7.2"] }, Control { framework: "iso27001", controls: &["A.8.15"] }, Control { framework: "hipaa", controls: &["164.312(b)"] }, Control { framework: "nist-800-53", controls: &["AU-11"] }]),
    resource_types: &["azurerm_monitor_log_profile", "azure:monitoring/logProfile:LogProfile", "azure-native:insights:LogProfile"],
    remediation: "Set `retention_policy { enabled = true, days = 365 }` or more, or `enabled = false` to keep logs indefinitely (the same in Pulumi and Azure Native `retentionPolicy`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Activity log profiles (`azurerm_monitor_log_profile`, Pulumi `azure:monitoring/logProfile:LogProfile`, Azure Native `azure-native:insights:LogProfile`; the same names in every spelling, `retention_policy` a block in Terraform): the retention policy must keep logs 365 days or more: `retention_policy[0].enabled` false (keep forever) or `days` of 0 or at least 365. A profile without a retention policy keeps logs indefinitely and passes. Log profiles are the legacy way to export the activity log (Microsoft recommends diagnostic settings now); the rule keeps existing ones honest.",
        why: "Control-plane activity (who created, changed or deleted what) is the backbone of an investigation; PCI DSS asks for a year of audit history.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.monitoring.LogProfile("activity", { /* ... */ retentionPolicy: { enabled: true, days: 30 } });

Pulumi Azure Native (TypeScript):

    new insights.LogProfile("activity", { /* ... */ retentionPolicy: { enabled: true, days: 90 } });

Terraform:

    resource "azurerm_monitor_log_profile" "activity" {
      # ...
      retention_policy {
        enabled = true
        days    = 7
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.monitoring.LogProfile("activity", { /* ... */ retentionPolicy: { enabled: true, days: 365 } });

Pulumi Azure Native (TypeScript):

    new insights.LogProfile("activity", { /* ... */ retentionPolicy: { enabled: false, days: 0 } });

Terraform:

    resource "azurerm_monitor_log_profile" "activity" {
      # ...
      retention_policy {
        enabled = true
        days    = 365
      }
    }"#,
        fix: "Raise the retention to 365 days or more. No automatic fix: longer retention costs storage; consider moving to a diagnostic setting.",
        references: &[
            "Microsoft Learn: Azure Monitor activity log (legacy log profiles) — https://learn.microsoft.com/azure/azure-monitor/essentials/activity-log",
            "PCI DSS v4.0: 10.5.1; NIST SP 800-53 Rev. 5: AU-11",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if read(view, "retentionPolicy.enabled")?.and_then(|v| v.as_bool()) != Some(true) {
        return Ok(Verdict::Pass);
    }
    let Some(days) = read(view, "retentionPolicy.days")? else {
        return Ok(Verdict::Pass);
    };
    match days.as_i64() {
        Some(n) if n == 0 || n >= 365 => Ok(Verdict::Pass),
        _ => {
            let secret = view.secret_at("retentionPolicy.days");
            Ok(Verdict::violation(
                Violation::new(format!(
                    "log profile `{}` keeps activity logs for less than 365 days (`{}` is `{}`)",
                    view.resource.name,
                    at(view, "retentionPolicy.days"),
                    days.clone().tainted_if(secret).shown()
                ))
                .at(at(view, "retentionPolicy.days")),
            ))
        }
    }
}
