//! AZURE-SQL-011: SQL databases keep long-term backups.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-SQL-011",
    name: "sql-database-long-term-retention",
    title: "SQL databases keep long-term backups",
    description: "Point-in-time backups last 35 days at most; long-term retention keeps weekly, monthly or yearly backups for up to 10 years.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["sql"],
    topics: &["backup"],
    frameworks: Frameworks::Mapped(&[Control { framework: "soc2", controls: &["A1.2"] }, Control { framework: "iso27001", controls: &["A.8.13"] }, Control { framework: "hipaa", controls: &["164.308(a)(7)(ii)(A)"] }, Control { framework: "nist-800-53", controls: &["CP-9"] }]),
    resource_types: &["azurerm_mssql_database", "azure:mssql/database:Database"],
    remediation: "Set `long_term_retention_policy` (Pulumi `longTermRetentionPolicy`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Azure SQL databases in Terraform and Pulumi `azure`: a `long_term_retention_policy` block (Pulumi `longTermRetentionPolicy`) must be set. Azure Native configures it on a separate `LongTermRetentionPolicy` resource. Advisory by default.",
        why: "Many regulations and contracts require restoring data as it was months or years ago; without long-term retention the oldest restore point is at most 35 days old.",
        noncompliant: "The SQL database without `long_term_retention_policy` (Pulumi `longTermRetentionPolicy`) set.",
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.mssql.Database("orders", {
        // ...
        longTermRetentionPolicy: { weeklyRetention: "P4W", monthlyRetention: "P12M", yearlyRetention: "P5Y", weekOfYear: 1 },
    });

Terraform:

    resource "azurerm_mssql_database" "orders" {
      # ...
      long_term_retention_policy {
        weekly_retention = "P4W"
        monthly_retention = "P12M"
        yearly_retention = "P5Y"
        week_of_year = 1
      }
    }"#,
        fix: "Add a long-term retention policy matching the record-keeping requirements. No automatic fix: the periods are a decision.",
        references: &[
            "Microsoft Learn: Long-term retention - Azure SQL Database — https://learn.microsoft.com/azure/azure-sql/database/long-term-retention-overview",
            "NIST SP 800-53 Rev. 5: CP-9",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::present("longTermRetentionPolicy");

const NATIVE: Want = Want::present("longTermRetentionPolicy");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "SQL database",
        "keeps no long-term backups",
    )
}
