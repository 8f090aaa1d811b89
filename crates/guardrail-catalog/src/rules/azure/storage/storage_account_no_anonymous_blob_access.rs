//! AZURE-STORAGE-003: Storage accounts do not allow anonymous blob access.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-STORAGE-003",
    name: "storage-account-no-anonymous-blob-access",
    title: "Storage accounts do not allow anonymous blob access",
    description: "With anonymous (public) blob access allowed, any container can be made readable by anyone on the internet with one setting.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["storage"],
    topics: &["public-access", "data-protection"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["3.7", "3.17"] }, Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.3"] }, Control { framework: "nist-800-53", controls: &["AC-3", "AC-21"] }]),
    resource_types: &["azurerm_storage_account", "azure:storage/account:Account", "azure-native:storage:StorageAccount"],
    remediation: "Set `allow_nested_items_to_be_public = false` (Pulumi `allowNestedItemsToBePublic`, Azure Native `allowBlobPublicAccess: false`).",
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Storage accounts in every spelling: anonymous blob access must be disallowed. Terraform and Pulumi `azure` read `allow_nested_items_to_be_public` (azurerm 2: `allow_blob_public_access`), whose default in the azurerm provider is `true` (unset is a violation); Azure Native reads `allowBlobPublicAccess`, which the Azure API (2023-01-01 and later) treats as `false` when unset.",
        why: "When the account allows it, a single container whose access level is `blob` or `container` exposes its data to anyone who guesses the URL, without any credential or log of who read it. Disallowing it at the account makes every container private whatever its own setting.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        // ... allowNestedItemsToBePublic unset: true
        accountTier: "Standard",
        accountReplicationType: "GRS",
    });

Pulumi Azure Native (TypeScript):

    new storage.StorageAccount("appdata", {
        kind: "StorageV2",
        sku: { name: "Standard_GRS" },
        allowBlobPublicAccess: true,
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      # ...
      allow_nested_items_to_be_public = true
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        // ...
        allowNestedItemsToBePublic: false,
    });

Pulumi Azure Native (TypeScript):

    new storage.StorageAccount("appdata", {
        kind: "StorageV2",
        sku: { name: "Standard_GRS" },
        allowBlobPublicAccess: false,
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      # ...
      allow_nested_items_to_be_public = false
    }"#,
        fix: "Set the flag to `false`. guardrail's fix is unsafe: a static website or download container that relies on anonymous reads stops working, so serve such content through a CDN or SAS instead first.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 3.7 Ensure that 'Public access level' is disabled for storage accounts with blob containers; 3.17 Ensure that `Allow Blob Anonymous Access` is set to `Disabled`",
            "Microsoft Learn: Remediate anonymous read access to blob data — https://learn.microsoft.com/azure/storage/blobs/anonymous-read-access-prevent",
            "NIST SP 800-53 Rev. 5: AC-3, AC-21; ISO/IEC 27001:2022: A.8.3",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want::off("allowNestedItemsToBePublic|allowBlobPublicAccess", true);

const NATIVE: Want = Want::off("allowBlobPublicAccess", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "storage account",
        "allows anonymous public access to its blobs",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    setting_fix(
        view,
        (BRIDGED, Lit::Bool(false)),
        (NATIVE, Lit::Bool(false)),
    )
}
