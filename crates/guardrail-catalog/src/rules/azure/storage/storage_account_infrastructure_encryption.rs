//! AZURE-STORAGE-005: Storage accounts encrypt at the infrastructure layer too.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-STORAGE-005",
    name: "storage-account-infrastructure-encryption",
    title: "Storage accounts encrypt at the infrastructure layer too",
    description: "Infrastructure encryption adds a second layer of AES-256 encryption with a separate key, for data that needs double encryption.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["storage"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["3.2"] }, Control { framework: "nist-800-53", controls: &["SC-28(1)"] }]),
    resource_types: &["azurerm_storage_account", "azure:storage/account:Account", "azure-native:storage:StorageAccount"],
    remediation: "Create the account with `infrastructure_encryption_enabled = true` (Pulumi `infrastructureEncryptionEnabled`, Azure Native `encryption.requireInfrastructureEncryption: true`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Storage accounts in every spelling: Terraform and Pulumi `azure` read `infrastructure_encryption_enabled` (default `false`), Azure Native `encryption.requireInfrastructureEncryption` (default `false`). Unset is a violation. Advisory by default: most data does not need two layers.",
        why: "Service-level encryption protects data with one key; infrastructure encryption encrypts it again with a different algorithm implementation and key, so that one broken layer or leaked key does not expose the data. Some regulated workloads require double encryption.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        accountTier: "Standard",
        accountReplicationType: "GRS",
    });

Pulumi Azure Native (TypeScript):

    new storage.StorageAccount("appdata", {
        kind: "StorageV2",
        sku: { name: "Standard_GRS" },
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      # ...
      infrastructure_encryption_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        // ...
        infrastructureEncryptionEnabled: true,
    });

Pulumi Azure Native (TypeScript):

    new storage.StorageAccount("appdata", {
        kind: "StorageV2",
        sku: { name: "Standard_GRS" },
        encryption: { requireInfrastructureEncryption: true, keySource: "Microsoft.Storage" },
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      # ...
      infrastructure_encryption_enabled = true
    }"#,
        fix: "Set it when the account is created: it cannot be changed later, so moving means a new account and copying the data (AzCopy). No automatic fix, since changing it replaces the account.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 3.2 Ensure that 'Enable Infrastructure Encryption' for Each Storage Account in Azure Storage is Set to 'enabled'",
            "Microsoft Learn: Enable infrastructure encryption for double encryption of data — https://learn.microsoft.com/azure/storage/common/infrastructure-encryption-enable",
            "NIST SP 800-53 Rev. 5: SC-28(1)",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on("infrastructureEncryptionEnabled", false);

const NATIVE: Want = Want::on("encryption.requireInfrastructureEncryption", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "storage account",
        "does not encrypt at the infrastructure layer",
    )
}
