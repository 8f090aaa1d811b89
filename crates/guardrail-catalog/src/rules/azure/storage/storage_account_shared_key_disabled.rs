//! AZURE-STORAGE-007: Storage accounts authorize with Microsoft Entra ID, not shared keys.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-STORAGE-007",
    name: "storage-account-shared-key-disabled",
    title: "Storage accounts authorize with Microsoft Entra ID, not shared keys",
    description: "Shared account keys grant full access to all data, never expire by themselves and leave no identity in the logs.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["storage"],
    topics: &["identity"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["8.2.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.5"] }, Control { framework: "nist-800-53", controls: &["IA-2", "IA-5"] }]),
    resource_types: &["azurerm_storage_account", "azure:storage/account:Account", "azure-native:storage:StorageAccount"],
    remediation: "Set `shared_access_key_enabled = false` (Pulumi `sharedAccessKeyEnabled`, Azure Native `allowSharedKeyAccess: false`) and grant data-plane roles to identities.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Storage accounts in every spelling: shared key authorization must be off. Terraform and Pulumi `azure` read `shared_access_key_enabled` (default `true`), Azure Native `allowSharedKeyAccess` (unset means allowed). Advisory by default: tools that still need keys (some older SDKs, Azure Files over SMB with keys) must move first.",
        why: "Whoever holds one of the two account keys can read, change and delete everything in the account, and every SAS signed with it, until the key is rotated. Requests made with Microsoft Entra ID carry an identity, honour RBAC and conditional access, and are revoked with the identity.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        // ... sharedAccessKeyEnabled unset: true
        accountTier: "Standard",
        accountReplicationType: "GRS",
    });

Pulumi Azure Native (TypeScript):

    new storage.StorageAccount("appdata", {
        kind: "StorageV2",
        sku: { name: "Standard_GRS" },
        allowSharedKeyAccess: true,
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      # ...
      shared_access_key_enabled = true
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        // ...
        sharedAccessKeyEnabled: false,
        defaultToOauthAuthentication: true,
    });

Pulumi Azure Native (TypeScript):

    new storage.StorageAccount("appdata", {
        kind: "StorageV2",
        sku: { name: "Standard_GRS" },
        allowSharedKeyAccess: false,
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      # ...
      shared_access_key_enabled       = false
      default_to_oauth_authentication = true
    }"#,
        fix: "Turn shared keys off once every client authenticates with Entra ID (role assignments such as Storage Blob Data Reader). The Terraform azurerm provider itself needs `storage_use_azuread = true` to manage such an account. No automatic fix.",
        references: &[
            "Microsoft Learn: Prevent Shared Key authorization for an Azure Storage account — https://learn.microsoft.com/azure/storage/common/shared-key-authorization-prevent",
            "Microsoft cloud security benchmark: IM-1, PA-7",
            "PCI DSS v4.0: 8.2.1; NIST SP 800-53 Rev. 5: IA-2, IA-5",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::off("sharedAccessKeyEnabled", true);

const NATIVE: Want = Want::off("allowSharedKeyAccess", true);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "storage account",
        "accepts requests signed with its shared account keys",
    )
}
