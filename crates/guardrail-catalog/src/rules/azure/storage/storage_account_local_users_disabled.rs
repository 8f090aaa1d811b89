//! AZURE-STORAGE-014: Storage accounts do not use local users.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-STORAGE-014",
    name: "storage-account-local-users-disabled",
    title: "Storage accounts do not use local users",
    description: "Local users (SFTP and NFS accounts with passwords or keys) authenticate outside Microsoft Entra ID and its controls.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["storage"],
    topics: &["identity"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["8.2.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.5"] }, Control { framework: "nist-800-53", controls: &["IA-2"] }]),
    resource_types: &["azurerm_storage_account", "azure:storage/account:Account", "azure-native:storage:StorageAccount"],
    remediation: "Set `local_user_enabled = false` (Pulumi `localUserEnabled`, Azure Native `isLocalUserEnabled: false`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Storage accounts in every spelling: Terraform and Pulumi `azure` read `local_user_enabled` (default `true`), Azure Native `isLocalUserEnabled` (unset: allowed). Advisory by default: SFTP access needs local users.",
        why: "Local users carry their own passwords and SSH keys, invisible to conditional access and access reviews; disable them unless the account serves SFTP.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        // ...
        localUserEnabled: true,
    });

Pulumi Azure Native (TypeScript):

    new storage.StorageAccount("appdata", {
        // ...
        isLocalUserEnabled: true,
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      # ...
      local_user_enabled = true
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        // ...
        localUserEnabled: false,
    });

Pulumi Azure Native (TypeScript):

    new storage.StorageAccount("appdata", {
        // ...
        isLocalUserEnabled: false,
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      # ...
      local_user_enabled = false
    }"#,
        fix: "Set it to `false` on accounts that do not serve SFTP. No automatic fix.",
        references: &[
            "Microsoft Learn: SFTP support for Azure Blob Storage (local users) — https://learn.microsoft.com/azure/storage/blobs/secure-file-transfer-protocol-support",
            "NIST SP 800-53 Rev. 5: IA-2",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::off("localUserEnabled", true);

const NATIVE: Want = Want::off("isLocalUserEnabled", true);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "storage account",
        "allows local users",
    )
}
