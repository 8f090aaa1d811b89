//! AZURE-POSTGRESQL-012: PostgreSQL single servers keep backups for at least 14 days.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Pass, Unset, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-POSTGRESQL-012",
    name: "postgresql-server-backup-retention",
    title: "PostgreSQL single servers keep backups for at least 14 days",
    description: "The default seven days of backups often end before a silent corruption or deletion is noticed.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["postgresql"],
    topics: &["backup"],
    frameworks: Frameworks::Mapped(&[Control { framework: "soc2", controls: &["A1.2"] }, Control { framework: "iso27001", controls: &["A.8.13"] }, Control { framework: "hipaa", controls: &["164.308(a)(7)(ii)(A)"] }, Control { framework: "nist-800-53", controls: &["CP-9"] }]),
    resource_types: &["azurerm_postgresql_server", "azure:postgresql/server:Server", "azure-native:dbforpostgresql:SingleServer"],
    remediation: "Set `backup_retention_days` to 14 or more (Pulumi `backupRetentionDays`, Azure Native `properties.storageProfile.backupRetentionDays` of 14 or more).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "PostgreSQL single servers in every spelling: Terraform and Pulumi `azure` read `backup_retention_days`, Azure Native `properties.storageProfile.backupRetentionDays`; both default to 7. Advisory by default. Azure Native spells single servers `azure-native:dbforpostgresql:SingleServer` and keeps their settings under `properties` (the create-mode union is not flattened).",
        why: "Point-in-time restore reaches back only as far as the retention.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.postgresql.Server("app", {
        // ...
        backupRetentionDays: 7,
    });

Pulumi Azure Native (TypeScript):

    new dbforpostgresql.SingleServer("app", {
        // ...
        properties: { storageProfile: { backupRetentionDays: 7 } },
    });

Terraform:

    resource "azurerm_postgresql_server" "app" {
      # ...
      backup_retention_days = 7
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.postgresql.Server("app", {
        // ...
        backupRetentionDays: 35,
    });

Pulumi Azure Native (TypeScript):

    new dbforpostgresql.SingleServer("app", {
        // ...
        properties: { storageProfile: { backupRetentionDays: 14 } },
    });

Terraform:

    resource "azurerm_postgresql_server" "app" {
      # ...
      backup_retention_days = 35
    }"#,
        fix: "Raise the retention; guardrail's fix (safe) writes 14.",
        references: &[
            "Microsoft Learn: Backup and restore in Azure Database for PostgreSQL - Single Server — https://learn.microsoft.com/azure/postgresql/single-server/concepts-backup",
            "NIST SP 800-53 Rev. 5: CP-9",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want {
    path: "backupRetentionDays",
    pass: Pass::AtLeast(14),
    unset: Unset::Default(Lit::Int(7)),
};

const NATIVE: Want = Want {
    path: "properties.storageProfile.backupRetentionDays",
    pass: Pass::AtLeast(14),
    unset: Unset::Default(Lit::Int(7)),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "PostgreSQL server",
        "keeps backups for less than 14 days",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    setting_fix(view, (BRIDGED, Lit::Int(14)), (NATIVE, Lit::Int(14)))
}
