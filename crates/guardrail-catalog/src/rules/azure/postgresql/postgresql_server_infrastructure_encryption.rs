//! AZURE-POSTGRESQL-004: PostgreSQL single servers use infrastructure double encryption.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-POSTGRESQL-004",
    name: "postgresql-server-infrastructure-encryption",
    title: "PostgreSQL single servers use infrastructure double encryption",
    description: "Infrastructure double encryption adds a second, independent layer of encryption at rest with a separate key.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["postgresql"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["4.3.8"] }, Control { framework: "nist-800-53", controls: &["SC-28(1)"] }]),
    resource_types: &["azurerm_postgresql_server", "azure:postgresql/server:Server", "azure-native:dbforpostgresql:SingleServer"],
    remediation: r#"Create the server with `infrastructure_encryption_enabled = true` (Azure Native `properties.infrastructureEncryption: "Enabled"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "PostgreSQL single servers in every spelling: Terraform and Pulumi `azure` read `infrastructure_encryption_enabled` (default `false`), Azure Native `properties.infrastructureEncryption` (default `Disabled`). Advisory by default. Azure Native spells single servers `azure-native:dbforpostgresql:SingleServer` and keeps their settings under `properties` (the create-mode union is not flattened).",
        why: "Two layers with different keys and implementations protect the data if one layer's key or algorithm is compromised; some regulated workloads require it.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.postgresql.Server("app", { /* ... */ });

Pulumi Azure Native (TypeScript):

    new dbforpostgresql.SingleServer("app", { properties: { createMode: "Default" } });

Terraform:

    resource "azurerm_postgresql_server" "app" {
      # ...
      infrastructure_encryption_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.postgresql.Server("app", { /* ... */ infrastructureEncryptionEnabled: true });

Pulumi Azure Native (TypeScript):

    new dbforpostgresql.SingleServer("app", { properties: { createMode: "Default", infrastructureEncryption: "Enabled" } });

Terraform:

    resource "azurerm_postgresql_server" "app" {
      # ...
      infrastructure_encryption_enabled = true
    }"#,
        fix: "It can only be chosen at creation: create a new server and migrate. No automatic fix.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 4.3.8 Ensure 'Infrastructure double encryption' for PostgreSQL Database Server is 'Enabled'",
            "Microsoft Learn: Infrastructure double encryption for Azure Database for PostgreSQL — https://learn.microsoft.com/azure/postgresql/single-server/concepts-infrastructure-double-encryption",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on("infrastructureEncryptionEnabled", false);

const NATIVE: Want = Want::one_of(
    "properties.infrastructureEncryption",
    &["Enabled"],
    "Disabled",
);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "PostgreSQL server",
        "does not use infrastructure double encryption",
    )
}
