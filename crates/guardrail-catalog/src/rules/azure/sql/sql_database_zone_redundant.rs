//! AZURE-SQL-010: SQL databases are zone-redundant.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-SQL-010",
    name: "sql-database-zone-redundant",
    title: "SQL databases are zone-redundant",
    description: "A database that is not zone-redundant goes down with its availability zone.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["sql"],
    topics: &["resilience"],
    frameworks: Frameworks::Mapped(&[Control { framework: "soc2", controls: &["A1.2"] }, Control { framework: "nist-800-53", controls: &["CP-10"] }]),
    resource_types: &["azurerm_mssql_database", "azure:mssql/database:Database", "azure-native:sql:Database"],
    remediation: "Set `zone_redundant = true` (Pulumi `zoneRedundant`, Azure Native `zoneRedundant: true`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Azure SQL databases in every spelling: `zone_redundant` (Pulumi and Azure Native `zoneRedundant`) must be `true`; the default is `false`. Advisory by default: it needs a tier that supports it.",
        why: "Zone redundancy keeps replicas in other zones of the region and fails over automatically when one zone is lost.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.mssql.Database("orders", {
        // ...
        zoneRedundant: false,
    });

Pulumi Azure Native (TypeScript):

    new sql.Database("orders", {
        // ...
        zoneRedundant: false,
    });

Terraform:

    resource "azurerm_mssql_database" "orders" {
      # ...
      zone_redundant = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.mssql.Database("orders", {
        // ...
        zoneRedundant: true,
    });

Pulumi Azure Native (TypeScript):

    new sql.Database("orders", {
        // ...
        zoneRedundant: true,
    });

Terraform:

    resource "azurerm_mssql_database" "orders" {
      # ...
      zone_redundant = true
    }"#,
        fix: "Enable zone redundancy (General Purpose, Business Critical or Premium tiers). No automatic fix: it may change cost.",
        references: &[
            "Microsoft Learn: Availability through redundancy - Azure SQL Database — https://learn.microsoft.com/azure/azure-sql/database/high-availability-sla",
            "NIST SP 800-53 Rev. 5: CP-10",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on("zoneRedundant", false);

const NATIVE: Want = Want::on("zoneRedundant", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "SQL database",
        "is not zone-redundant",
    )
}
