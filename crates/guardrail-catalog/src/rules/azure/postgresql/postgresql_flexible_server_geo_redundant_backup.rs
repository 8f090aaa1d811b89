//! AZURE-POSTGRESQL-005: PostgreSQL flexible servers keep geo-redundant backups.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-POSTGRESQL-005",
    name: "postgresql-flexible-server-geo-redundant-backup",
    title: "PostgreSQL flexible servers keep geo-redundant backups",
    description: "Locally or zone-redundant backups are lost with the region; geo-redundant backups allow a restore in the paired region.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["postgresql"],
    topics: &["backup", "resilience"],
    frameworks: Frameworks::Mapped(&[Control { framework: "soc2", controls: &["A1.2"] }, Control { framework: "iso27001", controls: &["A.8.13"] }, Control { framework: "hipaa", controls: &["164.308(a)(7)(ii)(A)"] }, Control { framework: "nist-800-53", controls: &["CP-9"] }]),
    resource_types: &["azurerm_postgresql_flexible_server", "azure:postgresql/flexibleServer:FlexibleServer", "azure-native:dbforpostgresql:Server"],
    remediation: r#"Set `geo_redundant_backup_enabled = true` at creation (Pulumi `geoRedundantBackupEnabled`, Azure Native `backup.geoRedundantBackup: "Enabled"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Azure Database for PostgreSQL flexible servers (`azurerm_postgresql_flexible_server`, Pulumi `azure:postgresql/flexibleServer:FlexibleServer`, Azure Native `azure-native:dbforpostgresql:Server`): Terraform and Pulumi `azure` read `geo_redundant_backup_enabled` (default `false`), Azure Native `backup.geoRedundantBackup` (default `Disabled`). Advisory by default.",
        why: "A regional outage takes zone-redundant backups with it; geo-restore from geo-redundant backups is the recovery path into another region.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.postgresql.FlexibleServer("app", { /* ... */ geoRedundantBackupEnabled: false });

Pulumi Azure Native (TypeScript):

    new dbforpostgresql.Server("app", { /* ... */ backup: { backupRetentionDays: 7, geoRedundantBackup: "Disabled" } });

Terraform:

    resource "azurerm_postgresql_flexible_server" "app" {
      # ...
      geo_redundant_backup_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.postgresql.FlexibleServer("app", { /* ... */ geoRedundantBackupEnabled: true });

Pulumi Azure Native (TypeScript):

    new dbforpostgresql.Server("app", { /* ... */ backup: { backupRetentionDays: 14, geoRedundantBackup: "Enabled" } });

Terraform:

    resource "azurerm_postgresql_flexible_server" "app" {
      # ...
      geo_redundant_backup_enabled = true
    }"#,
        fix: "Geo-redundancy is chosen at creation; restore into a new server with it. No automatic fix: changing it replaces the server.",
        references: &[
            "Microsoft Learn: Backup and restore in Azure Database for PostgreSQL flexible server — https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-backup-restore",
            "NIST SP 800-53 Rev. 5: CP-9",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on("geoRedundantBackupEnabled", false);

const NATIVE: Want = Want::one_of("backup.geoRedundantBackup", &["Enabled"], "Disabled");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "PostgreSQL flexible server",
        "keeps its backups in one region only",
    )
}
