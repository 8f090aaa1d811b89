//! AZURE-MONITOR-005: Log Analytics workspaces answer queries through private links only.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-MONITOR-005",
    name: "log-analytics-public-query-disabled",
    title: "Log Analytics workspaces answer queries through private links only",
    description: "Public query access lets anyone with read rights query the logs from any network.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["monitor"],
    topics: &["logging", "network"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_log_analytics_workspace", "azure:operationalinsights/analyticsWorkspace:AnalyticsWorkspace", "azure-native:operationalinsights:Workspace"],
    remediation: r#"Set `internet_query_enabled = false` (Pulumi `internetQueryEnabled`, Azure Native `publicNetworkAccessForQuery: "Disabled"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Log Analytics workspaces in every spelling: Terraform and Pulumi `azure` read `internet_query_enabled` (default `true`), Azure Native `publicNetworkAccessForQuery` (unset: `Enabled`). Advisory by default.",
        why: "Security logs reveal the environment's structure and weaknesses; restricting queries to private networks limits what a stolen identity can read from outside.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.operationalinsights.AnalyticsWorkspace("ops", {
        // ...
        internetQueryEnabled: true,
    });

Pulumi Azure Native (TypeScript):

    new operationalinsights.Workspace("ops", {
        // ...
        publicNetworkAccessForQuery: "Enabled",
    });

Terraform:

    resource "azurerm_log_analytics_workspace" "ops" {
      # ...
      internet_query_enabled = true
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.operationalinsights.AnalyticsWorkspace("ops", {
        // ...
        internetQueryEnabled: false,
    });

Pulumi Azure Native (TypeScript):

    new operationalinsights.Workspace("ops", {
        // ...
        publicNetworkAccessForQuery: "Disabled",
    });

Terraform:

    resource "azurerm_log_analytics_workspace" "ops" {
      # ...
      internet_query_enabled = false
    }"#,
        fix: "Query through an Azure Monitor Private Link Scope, then disable public queries. No automatic fix.",
        references: &[
            "Microsoft Learn: Use Azure Private Link to connect networks to Azure Monitor — https://learn.microsoft.com/azure/azure-monitor/logs/private-link-security",
            "NIST SP 800-53 Rev. 5: SC-7",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::off("internetQueryEnabled", true);

const NATIVE: Want = Want::one_of("publicNetworkAccessForQuery", &["Disabled"], "Enabled");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "Log Analytics workspace",
        "answers queries from public networks",
    )
}
