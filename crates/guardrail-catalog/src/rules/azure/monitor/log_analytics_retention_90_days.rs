//! AZURE-MONITOR-003: Log Analytics workspaces keep data for at least 90 days.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Pass, Unset, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-MONITOR-003",
    name: "log-analytics-retention-90-days",
    title: "Log Analytics workspaces keep data for at least 90 days",
    description: "The default 30 days of retention is shorter than most investigations and than the three months of immediately available logs PCI DSS asks for.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["monitor"],
    topics: &["logging"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["10.5.1"] }, Control { framework: "soc2", controls: &["CC7.2"] }, Control { framework: "iso27001", controls: &["A.8.15"] }, Control { framework: "nist-800-53", controls: &["AU-11"] }]),
    resource_types: &["azurerm_log_analytics_workspace", "azure:operationalinsights/analyticsWorkspace:AnalyticsWorkspace", "azure-native:operationalinsights:Workspace"],
    remediation: "Set `retention_in_days = 90` or more (Pulumi and Azure Native `retentionInDays`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Log Analytics workspaces (`azurerm_log_analytics_workspace`, Pulumi `azure:operationalinsights/analyticsWorkspace:AnalyticsWorkspace`, Azure Native `azure-native:operationalinsights:Workspace`): `retention_in_days` (Pulumi and Azure Native `retentionInDays`) must be 90 or more; unset means 30, a violation. Advisory by default.",
        why: "Security logs that expire after a month are gone when a slow-burning intrusion is discovered; PCI DSS requires the last three months to be immediately available for analysis.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.operationalinsights.AnalyticsWorkspace("ops", { /* ... */ sku: "PerGB2018" });

Pulumi Azure Native (TypeScript):

    new operationalinsights.Workspace("ops", { /* ... */ retentionInDays: 30 });

Terraform:

    resource "azurerm_log_analytics_workspace" "ops" {
      # ...
      retention_in_days = 30
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.operationalinsights.AnalyticsWorkspace("ops", { /* ... */ retentionInDays: 90 });

Pulumi Azure Native (TypeScript):

    new operationalinsights.Workspace("ops", { /* ... */ retentionInDays: 365 });

Terraform:

    resource "azurerm_log_analytics_workspace" "ops" {
      # ...
      retention_in_days = 90
    }"#,
        fix: "Raise the retention; guardrail's fix (safe) writes 90. Retention beyond the included period is billed.",
        references: &[
            "Microsoft Learn: Manage data retention in a Log Analytics workspace — https://learn.microsoft.com/azure/azure-monitor/logs/data-retention-configure",
            "PCI DSS v4.0: 10.5.1; NIST SP 800-53 Rev. 5: AU-11",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want {
    path: "retentionInDays",
    pass: Pass::AtLeast(90),
    unset: Unset::Default(Lit::Int(30)),
};

const NATIVE: Want = Want {
    path: "retentionInDays",
    pass: Pass::AtLeast(90),
    unset: Unset::Default(Lit::Int(30)),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "Log Analytics workspace",
        "keeps data for less than 90 days",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    setting_fix(view, (BRIDGED, Lit::Int(90)), (NATIVE, Lit::Int(90)))
}
