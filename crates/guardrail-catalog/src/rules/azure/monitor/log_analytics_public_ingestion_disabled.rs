//! AZURE-MONITOR-004: Log Analytics workspaces take data through private links only.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-MONITOR-004",
    name: "log-analytics-public-ingestion-disabled",
    title: "Log Analytics workspaces take data through private links only",
    description: "Public ingestion lets anyone holding the workspace key send forged log records from the internet.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["monitor"],
    topics: &["logging", "network"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_log_analytics_workspace", "azure:operationalinsights/analyticsWorkspace:AnalyticsWorkspace", "azure-native:operationalinsights:Workspace"],
    remediation: r#"Set `internet_ingestion_enabled = false` (Pulumi `internetIngestionEnabled`, Azure Native `publicNetworkAccessForIngestion: "Disabled"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Log Analytics workspaces in every spelling: Terraform and Pulumi `azure` read `internet_ingestion_enabled` (default `true`), Azure Native `publicNetworkAccessForIngestion` (unset: `Enabled`). Advisory by default: it needs Azure Monitor Private Link Scopes.",
        why: "Logs are evidence; accepting them from anywhere lets a key holder pollute or flood them. Private ingestion ties the workspace to known networks.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.operationalinsights.AnalyticsWorkspace("ops", {
        // ...
        internetIngestionEnabled: true,
    });

Pulumi Azure Native (TypeScript):

    new operationalinsights.Workspace("ops", {
        // ...
        publicNetworkAccessForIngestion: "Enabled",
    });

Terraform:

    resource "azurerm_log_analytics_workspace" "ops" {
      # ...
      internet_ingestion_enabled = true
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.operationalinsights.AnalyticsWorkspace("ops", {
        // ...
        internetIngestionEnabled: false,
    });

Pulumi Azure Native (TypeScript):

    new operationalinsights.Workspace("ops", {
        // ...
        publicNetworkAccessForIngestion: "Disabled",
    });

Terraform:

    resource "azurerm_log_analytics_workspace" "ops" {
      # ...
      internet_ingestion_enabled = false
    }"#,
        fix: "Set up an Azure Monitor Private Link Scope, then disable public ingestion. No automatic fix.",
        references: &[
            "Microsoft Learn: Use Azure Private Link to connect networks to Azure Monitor — https://learn.microsoft.com/azure/azure-monitor/logs/private-link-security",
            "NIST SP 800-53 Rev. 5: SC-7",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::off("internetIngestionEnabled", true);

const NATIVE: Want = Want::one_of("publicNetworkAccessForIngestion", &["Disabled"], "Enabled");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "Log Analytics workspace",
        "accepts data from public networks",
    )
}
