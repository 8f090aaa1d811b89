//! AZURE-COSMOSDB-005: Cosmos DB accounts use continuous backup.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-COSMOSDB-005",
    name: "cosmosdb-continuous-backup",
    title: "Cosmos DB accounts use continuous backup",
    description: "Continuous backup allows a point-in-time restore within the retention window; periodic backups restore only to their snapshots.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["cosmosdb"],
    topics: &["backup"],
    frameworks: Frameworks::Mapped(&[Control { framework: "soc2", controls: &["A1.2"] }, Control { framework: "iso27001", controls: &["A.8.13"] }, Control { framework: "hipaa", controls: &["164.308(a)(7)(ii)(A)"] }, Control { framework: "nist-800-53", controls: &["CP-9"] }]),
    resource_types: &["azurerm_cosmosdb_account", "azure:cosmosdb/account:Account", "azure-native:documentdb:DatabaseAccount"],
    remediation: r#"Set `backup.type = "Continuous"` (Pulumi `backup.type`, Azure Native `backupPolicy.type: "Continuous"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cosmos DB accounts in every spelling: Terraform reads `backup[0].type`, Pulumi `azure` `backup.type`, Azure Native `backupPolicy.type`; unset means `Periodic`, a violation. Advisory by default.",
        why: "With periodic backups the newest restorable state may be hours old and a restore needs a support request; continuous backup restores to any second of the last 7 or 30 days by yourself.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.cosmosdb.Account("app", {
        // ...
        backup: { type: "Periodic" },
    });

Pulumi Azure Native (TypeScript):

    new documentdb.DatabaseAccount("app", {
        // ...
        backupPolicy: { type: "Periodic" },
    });

Terraform:

    resource "azurerm_cosmosdb_account" "app" {
      # ...
      backup {
        type = "Periodic"
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.cosmosdb.Account("app", {
        // ...
        backup: { type: "Continuous" },
    });

Pulumi Azure Native (TypeScript):

    new documentdb.DatabaseAccount("app", {
        // ...
        backupPolicy: { type: "Continuous" },
    });

Terraform:

    resource "azurerm_cosmosdb_account" "app" {
      # ...
      backup {
        type = "Continuous"
      }
    }"#,
        fix: "Switch the backup type to Continuous (it cannot be switched back). No automatic fix.",
        references: &[
            "Microsoft Learn: Continuous backup with point-in-time restore in Azure Cosmos DB — https://learn.microsoft.com/azure/cosmos-db/continuous-backup-restore-introduction",
            "NIST SP 800-53 Rev. 5: CP-9",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::one_of("backup.type", &["Continuous"], "Periodic");

const NATIVE: Want = Want::one_of("backupPolicy.type", &["Continuous"], "Periodic");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "Cosmos DB account",
        "has no point-in-time restore",
    )
}
