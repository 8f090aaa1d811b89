//! AZURE-MYSQL-009: MySQL single servers keep geo-redundant backups.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-MYSQL-009",
    name: "mysql-server-geo-redundant-backup",
    title: "MySQL single servers keep geo-redundant backups",
    description: "Locally redundant backups are lost with the region; geo-redundant backups allow a restore in the paired region.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["mysql"],
    topics: &["backup", "resilience"],
    frameworks: Frameworks::Mapped(&[Control { framework: "soc2", controls: &["A1.2"] }, Control { framework: "iso27001", controls: &["A.8.13"] }, Control { framework: "hipaa", controls: &["164.308(a)(7)(ii)(A)"] }, Control { framework: "nist-800-53", controls: &["CP-9"] }]),
    resource_types: &["azurerm_mysql_server", "azure:mysql/server:Server", "azure-native:dbformysql:SingleServer"],
    remediation: r#"Set `geo_redundant_backup_enabled = true` (Pulumi `geoRedundantBackupEnabled`, Azure Native `properties.storageProfile.geoRedundantBackup: "Enabled"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "MySQL single servers in every spelling: Terraform and Pulumi `azure` read `geo_redundant_backup_enabled` (default `false`), Azure Native `properties.storageProfile.geoRedundantBackup` (default `Disabled`). Advisory by default.",
        why: "A regional disaster takes locally redundant backups with it.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.mysql.Server("app", {
        // ...
        geoRedundantBackupEnabled: false,
    });

Pulumi Azure Native (TypeScript):

    new dbformysql.SingleServer("app", {
        // ...
        properties: { storageProfile: { geoRedundantBackup: "Disabled" } },
    });

Terraform:

    resource "azurerm_mysql_server" "app" {
      # ...
      geo_redundant_backup_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.mysql.Server("app", {
        // ...
        geoRedundantBackupEnabled: true,
    });

Pulumi Azure Native (TypeScript):

    new dbformysql.SingleServer("app", {
        // ...
        properties: { storageProfile: { geoRedundantBackup: "Enabled" } },
    });

Terraform:

    resource "azurerm_mysql_server" "app" {
      # ...
      geo_redundant_backup_enabled = true
    }"#,
        fix: "Choose geo-redundant backup storage at creation. No automatic fix: it replaces the server.",
        references: &[
            "Microsoft Learn: Backup and restore in Azure Database for MySQL - Single Server — https://learn.microsoft.com/azure/mysql/single-server/concepts-backup",
            "NIST SP 800-53 Rev. 5: CP-9",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on("geoRedundantBackupEnabled", false);

const NATIVE: Want = Want::one_of(
    "properties.storageProfile.geoRedundantBackup",
    &["Enabled"],
    "Disabled",
);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "MySQL server",
        "keeps its backups in one region only",
    )
}
