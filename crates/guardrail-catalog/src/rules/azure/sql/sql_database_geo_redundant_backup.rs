//! AZURE-SQL-008: SQL databases keep geo-redundant backups.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-SQL-008",
    name: "sql-database-geo-redundant-backup",
    title: "SQL databases keep geo-redundant backups",
    description: "Backups stored only in the region (locally or zone-redundant) are lost with it.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["sql"],
    topics: &["backup", "resilience"],
    frameworks: Frameworks::Mapped(&[Control { framework: "soc2", controls: &["A1.2"] }, Control { framework: "iso27001", controls: &["A.8.13"] }, Control { framework: "hipaa", controls: &["164.308(a)(7)(ii)(A)"] }, Control { framework: "nist-800-53", controls: &["CP-9"] }]),
    resource_types: &["azurerm_mssql_database", "azure:mssql/database:Database", "azure-native:sql:Database"],
    remediation: r#"Set `storage_account_type = "GeoZone"` (Pulumi `storageAccountType`, Azure Native `requestedBackupStorageRedundancy: "Geo"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Azure SQL databases (`azurerm_mssql_database`, Pulumi `azure:mssql/database:Database`, Azure Native `azure-native:sql:Database`): Terraform and Pulumi `azure` read `storage_account_type`, Azure Native `requestedBackupStorageRedundancy`; both default to `Geo`. `Local` and `Zone` are violations. Advisory by default.",
        why: "Geo-restore from geo-redundant backups is the recovery path when the region is unavailable; local or zone backups do not survive a regional disaster.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.mssql.Database("orders", {
        // ...
        storageAccountType: "Local",
    });

Pulumi Azure Native (TypeScript):

    new sql.Database("orders", {
        // ...
        requestedBackupStorageRedundancy: "Zone",
    });

Terraform:

    resource "azurerm_mssql_database" "orders" {
      # ...
      storage_account_type = "Local"
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.mssql.Database("orders", {
        // ...
        storageAccountType: "GeoZone",
    });

Pulumi Azure Native (TypeScript):

    new sql.Database("orders", {
        // ...
        requestedBackupStorageRedundancy: "Geo",
    });

Terraform:

    resource "azurerm_mssql_database" "orders" {
      # ...
      storage_account_type = "GeoZone"
    }"#,
        fix: "Choose `Geo` or `GeoZone` backup storage. No automatic fix: it may be a data-residency decision.",
        references: &[
            "Microsoft Learn: Automated backups in Azure SQL Database (backup storage redundancy) — https://learn.microsoft.com/azure/azure-sql/database/automated-backups-overview",
            "NIST SP 800-53 Rev. 5: CP-9",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::one_of("storageAccountType", &["Geo", "GeoZone"], "Geo");

const NATIVE: Want = Want::one_of(
    "requestedBackupStorageRedundancy",
    &["Geo", "GeoZone"],
    "Geo",
);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "SQL database",
        "keeps its backups in one region only",
    )
}
