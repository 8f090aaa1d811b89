//! AZURE-SQL-006: SQL databases keep transparent data encryption on.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-SQL-006",
    name: "sql-database-transparent-data-encryption",
    title: "SQL databases keep transparent data encryption on",
    description: "Transparent data encryption encrypts a database, its backups and logs at rest; turning it off leaves them readable from the storage layer.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["sql"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["4.1.5"] }, Control { framework: "pci-dss", controls: &["3.5.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "hipaa", controls: &["164.312(a)(2)(iv)"] }, Control { framework: "nist-800-53", controls: &["SC-28"] }]),
    resource_types: &["azurerm_mssql_database", "azure:mssql/database:Database"],
    remediation: "Remove `transparent_data_encryption_enabled = false` (Pulumi `transparentDataEncryptionEnabled`): it defaults to `true`.",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Azure SQL databases (`azurerm_mssql_database`, Pulumi `azure:mssql/database:Database`): `transparent_data_encryption_enabled` must not be `false` (default `true`). Azure Native manages encryption as a separate `TransparentDataEncryption` resource and has no spelling of this setting on the database.",
        why: "Without TDE the database files, backups and transaction logs are stored in plain form: anyone who obtains a backup or the underlying storage reads the data without any database permission.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.mssql.Database("orders", { serverId: server.id, transparentDataEncryptionEnabled: false });

Terraform:

    resource "azurerm_mssql_database" "orders" {
      server_id                           = azurerm_mssql_server.app.id
      transparent_data_encryption_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.mssql.Database("orders", { serverId: server.id });

Terraform:

    resource "azurerm_mssql_database" "orders" {
      server_id = azurerm_mssql_server.app.id
    }"#,
        fix: "Remove the setting or set it to `true`; guardrail's fix (safe) writes `true`. Encryption runs online in the background.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 4.1.5 Ensure that 'Data encryption' is set to 'On' on a SQL Database",
            "Microsoft Learn: Transparent data encryption for SQL Database — https://learn.microsoft.com/azure/azure-sql/database/transparent-data-encryption-tde-overview",
            "PCI DSS v4.0: 3.5.1; HIPAA: 164.312(a)(2)(iv); NIST SP 800-53 Rev. 5: SC-28",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want::on("transparentDataEncryptionEnabled", true);

const NATIVE: Want = Want::on("transparentDataEncryptionEnabled", true);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "SQL database",
        "does not encrypt its data at rest",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    setting_fix(view, (BRIDGED, Lit::Bool(true)), (NATIVE, Lit::Bool(true)))
}
