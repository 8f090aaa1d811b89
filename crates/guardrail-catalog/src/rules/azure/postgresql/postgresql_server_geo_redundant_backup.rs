//! AZURE-POSTGRESQL-003: PostgreSQL single servers keep geo-redundant backups.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-POSTGRESQL-003",
    name: "postgresql-server-geo-redundant-backup",
    title: "PostgreSQL single servers keep geo-redundant backups",
    description: "Locally redundant backups are lost with the region; geo-redundant backups allow a restore in the paired region.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["postgresql"],
    topics: &["backup", "resilience"],
    frameworks: Frameworks::Mapped(&[Control { framework: "soc2", controls: &["A1.2"] }, Control { framework: "iso27001", controls: &["A.8.13"] }, Control { framework: "hipaa", controls: &["164.308(a)(7)(ii)(A)"] }, Control { framework: "nist-800-53", controls: &["CP-9"] }]),
    resource_types: &["azurerm_postgresql_server", "azure:postgresql/server:Server", "azure-native:dbforpostgresql:SingleServer"],
    remediation: r#"Set `geo_redundant_backup_enabled = true` when the server is created (Pulumi `geoRedundantBackupEnabled`, Azure Native `properties.storageProfile.geoRedundantBackup: "Enabled"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "PostgreSQL single servers in every spelling: Terraform and Pulumi `azure` read `geo_redundant_backup_enabled` (default `false`), Azure Native `properties.storageProfile.geoRedundantBackup` (default `Disabled`). Advisory by default. Azure Native spells single servers `azure-native:dbforpostgresql:SingleServer` and keeps their settings under `properties` (the create-mode union is not flattened).",
        why: "A regional outage or disaster takes locally redundant backups with it; geo-redundant backup storage is the only restore path into another region for a single server.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.postgresql.Server("app", { /* ... */ geoRedundantBackupEnabled: false });

Pulumi Azure Native (TypeScript):

    new dbforpostgresql.SingleServer("app", { properties: { createMode: "Default", storageProfile: { geoRedundantBackup: "Disabled" } } });

Terraform:

    resource "azurerm_postgresql_server" "app" {
      # ...
      geo_redundant_backup_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.postgresql.Server("app", { /* ... */ geoRedundantBackupEnabled: true });

Pulumi Azure Native (TypeScript):

    new dbforpostgresql.SingleServer("app", { properties: { createMode: "Default", storageProfile: { geoRedundantBackup: "Enabled" } } });

Terraform:

    resource "azurerm_postgresql_server" "app" {
      # ...
      geo_redundant_backup_enabled = true
    }"#,
        fix: "Choose geo-redundant backup storage when creating the server (General Purpose or Memory Optimized tiers); it cannot be changed later. No automatic fix: it replaces the server.",
        references: &[
            "Microsoft Learn: Backup and restore in Azure Database for PostgreSQL - Single Server — https://learn.microsoft.com/azure/postgresql/single-server/concepts-backup",
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
        "PostgreSQL server",
        "keeps its backups in one region only",
    )
}
