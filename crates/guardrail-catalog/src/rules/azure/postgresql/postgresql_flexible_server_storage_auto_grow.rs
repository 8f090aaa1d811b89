//! AZURE-POSTGRESQL-013: PostgreSQL flexible servers grow their storage automatically.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-POSTGRESQL-013",
    name: "postgresql-flexible-server-storage-auto-grow",
    title: "PostgreSQL flexible servers grow their storage automatically",
    description: "A server whose storage fills up goes read-only, stopping every write of the application.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["postgresql"],
    topics: &["resilience"],
    frameworks: Frameworks::Mapped(&[Control { framework: "soc2", controls: &["A1.1"] }, Control { framework: "nist-800-53", controls: &["SC-5"] }]),
    resource_types: &["azurerm_postgresql_flexible_server", "azure:postgresql/flexibleServer:FlexibleServer", "azure-native:dbforpostgresql:Server"],
    remediation: r#"Set `auto_grow_enabled = true` (Pulumi `autoGrowEnabled`, Azure Native `storage.autoGrow: "Enabled"`)."#,
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "PostgreSQL flexible servers in every spelling: Terraform and Pulumi `azure` read `auto_grow_enabled` (default `false`), Azure Native `storage.autoGrow` (default `Disabled`). Advisory by default.",
        why: "Running out of storage turns the database read-only in the middle of the day; auto-grow raises the size before that happens.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.postgresql.FlexibleServer("app", {
        // ...
        autoGrowEnabled: false,
    });

Pulumi Azure Native (TypeScript):

    new dbforpostgresql.Server("app", {
        // ...
        storage: { autoGrow: "Disabled" },
    });

Terraform:

    resource "azurerm_postgresql_flexible_server" "app" {
      # ...
      auto_grow_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.postgresql.FlexibleServer("app", {
        // ...
        autoGrowEnabled: true,
    });

Pulumi Azure Native (TypeScript):

    new dbforpostgresql.Server("app", {
        // ...
        storage: { autoGrow: "Enabled" },
    });

Terraform:

    resource "azurerm_postgresql_flexible_server" "app" {
      # ...
      auto_grow_enabled = true
    }"#,
        fix: "Enable storage auto-grow; guardrail's fix (safe) turns it on.",
        references: &[
            "Microsoft Learn: Storage options in Azure Database for PostgreSQL flexible server (storage auto-grow) — https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-storage",
            "NIST SP 800-53 Rev. 5: SC-5",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want::on("autoGrowEnabled", false);

const NATIVE: Want = Want::one_of("storage.autoGrow", &["Enabled"], "Disabled");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "PostgreSQL flexible server",
        "does not grow its storage automatically",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    setting_fix(
        view,
        (BRIDGED, Lit::Bool(true)),
        (NATIVE, Lit::Text("Enabled")),
    )
}
