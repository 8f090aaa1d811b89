//! AZURE-MYSQL-001: MySQL flexible servers keep geo-redundant backups.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-MYSQL-001",
    name: "mysql-flexible-server-geo-redundant-backup",
    title: "MySQL flexible servers keep geo-redundant backups",
    description: "Backups kept in one region are lost with it; geo-redundant backups allow a restore in the paired region.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["mysql"],
    topics: &["backup", "resilience"],
    frameworks: Frameworks::Mapped(&[Control { framework: "soc2", controls: &["A1.2"] }, Control { framework: "iso27001", controls: &["A.8.13"] }, Control { framework: "hipaa", controls: &["164.308(a)(7)(ii)(A)"] }, Control { framework: "nist-800-53", controls: &["CP-9"] }]),
    resource_types: &["azurerm_mysql_flexible_server", "azure:mysql/flexibleServer:FlexibleServer", "azure-native:dbformysql:Server"],
    remediation: r#"Set `geo_redundant_backup_enabled = true` at creation (Pulumi `geoRedundantBackupEnabled`, Azure Native `backup.geoRedundantBackup: "Enabled"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Azure Database for MySQL flexible servers (`azurerm_mysql_flexible_server`, Pulumi `azure:mysql/flexibleServer:FlexibleServer`, Azure Native `azure-native:dbformysql:Server`): Terraform and Pulumi `azure` read `geo_redundant_backup_enabled` (default `false`), Azure Native `backup.geoRedundantBackup` (default `Disabled`). Advisory by default.",
        why: "Geo-restore from geo-redundant backups is the recovery path when the server's region is unavailable.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.mysql.FlexibleServer("app", { /* ... */ geoRedundantBackupEnabled: false });

Pulumi Azure Native (TypeScript):

    new dbformysql.Server("app", { /* ... */ backup: { geoRedundantBackup: "Disabled" } });

Terraform:

    resource "azurerm_mysql_flexible_server" "app" {
      # ...
      geo_redundant_backup_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.mysql.FlexibleServer("app", { /* ... */ geoRedundantBackupEnabled: true });

Pulumi Azure Native (TypeScript):

    new dbformysql.Server("app", { /* ... */ backup: { backupRetentionDays: 14, geoRedundantBackup: "Enabled" } });

Terraform:

    resource "azurerm_mysql_flexible_server" "app" {
      # ...
      geo_redundant_backup_enabled = true
    }"#,
        fix: "Geo-redundancy is chosen at creation. No automatic fix: changing it replaces the server.",
        references: &[
            "Microsoft Learn: Backup and restore in Azure Database for MySQL flexible server — https://learn.microsoft.com/azure/mysql/flexible-server/concepts-backup-restore",
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
        "MySQL flexible server",
        "keeps its backups in one region only",
    )
}
