//! AZURE-STORAGE-013: Storage accounts encrypt with a customer-managed key.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-STORAGE-013",
    name: "storage-account-customer-managed-key",
    title: "Storage accounts encrypt with a customer-managed key",
    description: "Encryption with a key in the customer's Key Vault lets the organisation control, rotate and revoke access to the data at rest.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["storage"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["3.12"] }, Control { framework: "pci-dss", controls: &["3.6.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "nist-800-53", controls: &["SC-12", "SC-28"] }]),
    resource_types: &["azurerm_storage_account", "azure:storage/account:Account", "azure-native:storage:StorageAccount"],
    remediation: r#"Set `customer_managed_key` (Pulumi `customerManagedKey`, Azure Native `encryption.keySource: "Microsoft.Keyvault"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Storage accounts in every spelling: Terraform and Pulumi `azure` need a `customer_managed_key` block (Pulumi `customerManagedKey`); Azure Native needs `encryption.keySource` `Microsoft.Keyvault` (the default is `Microsoft.Storage`). A separate `azurerm_storage_account_customer_managed_key` resource is not seen by this rule. Advisory by default: the benchmark asks for it for critical data.",
        why: "A customer-managed key puts the data under the organisation's key policy: disabling the key makes the data unreadable, and every use of it is logged in Key Vault.",
        noncompliant: "The storage account without `customer_managed_key` (Pulumi `customerManagedKey`, Azure Native `encryption.keySource`) set.",
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        // ...
        customerManagedKey: { keyVaultKeyId: "https://kv-app-prod.vault.azure.net/keys/storage", userAssignedIdentityId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-storage" },
    });

Pulumi Azure Native (TypeScript):

    new storage.StorageAccount("appdata", {
        // ...
        encryption: { keySource: "Microsoft.Keyvault" },
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      # ...
      customer_managed_key {
        key_vault_key_id = "https://kv-app-prod.vault.azure.net/keys/storage"
        user_assigned_identity_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-storage"
      }
    }"#,
        fix: "Give the account an identity with access to a Key Vault key and set it. No automatic fix: the key must exist.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 3.12 Ensure Storage for Critical Data are Encrypted with Customer Managed Keys (CMK)",
            "Microsoft Learn: Customer-managed keys for Azure Storage encryption — https://learn.microsoft.com/azure/storage/common/customer-managed-keys-overview",
            "NIST SP 800-53 Rev. 5: SC-12, SC-28",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::present("customerManagedKey");

const NATIVE: Want = Want::one_of(
    "encryption.keySource",
    &["Microsoft.Keyvault"],
    "Microsoft.Storage",
);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "storage account",
        "is encrypted with a Microsoft-managed key only",
    )
}
