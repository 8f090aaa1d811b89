//! AZURE-COSMOSDB-003: Cosmos DB accounts encrypt with a customer-managed key.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-COSMOSDB-003",
    name: "cosmosdb-customer-managed-key",
    title: "Cosmos DB accounts encrypt with a customer-managed key",
    description: "Encryption with a key in the customer's Key Vault lets the organisation control, rotate and revoke access to the data at rest.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["cosmosdb"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["3.6.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "nist-800-53", controls: &["SC-12", "SC-28"] }]),
    resource_types: &["azurerm_cosmosdb_account", "azure:cosmosdb/account:Account", "azure-native:documentdb:DatabaseAccount"],
    remediation: "Set `key_vault_key_id` to a Key Vault key (Pulumi `keyVaultKeyId`, Azure Native `keyVaultKeyUri`) when creating the account.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cosmos DB accounts in every spelling: Terraform and Pulumi `azure` read `key_vault_key_id`, Azure Native `keyVaultKeyUri`; unset means service-managed keys only, a violation. Advisory by default: most data is adequately protected by service-managed keys.",
        why: "A customer-managed key puts the data at rest under the organisation's key policy: disabling the key makes the account's data unreadable (crypto-shredding), and key use is logged in Key Vault.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.cosmosdb.Account("app", { /* ... no keyVaultKeyId */ });

Pulumi Azure Native (TypeScript):

    new documentdb.DatabaseAccount("app", { /* ... */ });

Terraform:

    resource "azurerm_cosmosdb_account" "app" {
      # ... no key_vault_key_id
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.cosmosdb.Account("app", { /* ... */ keyVaultKeyId: key.versionlessId });

Pulumi Azure Native (TypeScript):

    new documentdb.DatabaseAccount("app", { /* ... */ keyVaultKeyUri: "https://kv-app-prod.vault.azure.net/keys/cosmos" });

Terraform:

    resource "azurerm_cosmosdb_account" "app" {
      # ...
      key_vault_key_id = azurerm_key_vault_key.cosmos.versionless_id
    }"#,
        fix: "Grant the Cosmos DB identity access to the key and set it on the account. No automatic fix: the key must exist and be chosen.",
        references: &[
            "Microsoft Learn: Configure customer-managed keys for your Azure Cosmos DB account — https://learn.microsoft.com/azure/cosmos-db/how-to-setup-cmk",
            "NIST SP 800-53 Rev. 5: SC-12, SC-28",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::present("keyVaultKeyId");

const NATIVE: Want = Want::present("keyVaultKeyUri");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "Cosmos DB account",
        "is encrypted with a Microsoft-managed key only",
    )
}
