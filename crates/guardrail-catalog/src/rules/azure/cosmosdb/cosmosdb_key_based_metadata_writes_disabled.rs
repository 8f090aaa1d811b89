//! AZURE-COSMOSDB-002: Cosmos DB accounts refuse metadata changes made with account keys.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-COSMOSDB-002",
    name: "cosmosdb-key-based-metadata-writes-disabled",
    title: "Cosmos DB accounts refuse metadata changes made with account keys",
    description: "With key-based metadata writes allowed, anyone holding an account key can create, change or delete databases and containers.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["cosmosdb"],
    topics: &["identity"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["7.2.1"] }, Control { framework: "soc2", controls: &["CC6.3"] }, Control { framework: "iso27001", controls: &["A.8.2"] }, Control { framework: "nist-800-53", controls: &["AC-6"] }]),
    resource_types: &["azurerm_cosmosdb_account", "azure:cosmosdb/account:Account", "azure-native:documentdb:DatabaseAccount"],
    remediation: "Set `access_key_metadata_writes_enabled = false` (Pulumi `accessKeyMetadataWritesEnabled`, Azure Native `disableKeyBasedMetadataWriteAccess: true`).",
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Cosmos DB accounts in every spelling: Terraform and Pulumi `azure` read `access_key_metadata_writes_enabled` (default `true`: a violation), Azure Native `disableKeyBasedMetadataWriteAccess` (default `false`: a violation). Advisory by default.",
        why: "Keys are meant for data access; letting them also change throughput, indexing policies or delete containers turns a leaked connection string into a way to destroy data. With key-based metadata writes off, such changes go through Azure Resource Manager and its RBAC and activity log.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.cosmosdb.Account("app", { /* ... */ });

Pulumi Azure Native (TypeScript):

    new documentdb.DatabaseAccount("app", { /* ... */ });

Terraform:

    resource "azurerm_cosmosdb_account" "app" {
      # ...
      access_key_metadata_writes_enabled = true
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.cosmosdb.Account("app", { /* ... */ accessKeyMetadataWritesEnabled: false });

Pulumi Azure Native (TypeScript):

    new documentdb.DatabaseAccount("app", { /* ... */ disableKeyBasedMetadataWriteAccess: true });

Terraform:

    resource "azurerm_cosmosdb_account" "app" {
      # ...
      access_key_metadata_writes_enabled = false
    }"#,
        fix: "Set it; guardrail's fix is unsafe: SDK code that creates databases or containers with a key fails afterwards and must move to ARM (Terraform, Pulumi) or Entra ID.",
        references: &[
            "Microsoft Learn: Prevent changes from the Azure Cosmos DB SDKs — https://learn.microsoft.com/azure/cosmos-db/role-based-access-control#prevent-sdk-changes",
            "NIST SP 800-53 Rev. 5: AC-6",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want::off("accessKeyMetadataWritesEnabled", true);

const NATIVE: Want = Want::on("disableKeyBasedMetadataWriteAccess", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "Cosmos DB account",
        "lets account keys change databases and containers",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    setting_fix(view, (BRIDGED, Lit::Bool(false)), (NATIVE, Lit::Bool(true)))
}
