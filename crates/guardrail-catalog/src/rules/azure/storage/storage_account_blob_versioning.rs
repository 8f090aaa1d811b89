//! AZURE-STORAGE-012: Storage accounts keep blob versions.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-STORAGE-012",
    name: "storage-account-blob-versioning",
    title: "Storage accounts keep blob versions",
    description: "Blob versioning keeps every previous version of a blob when it is overwritten or deleted.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["storage"],
    topics: &["data-protection", "backup"],
    frameworks: Frameworks::Mapped(&[Control { framework: "soc2", controls: &["A1.2"] }, Control { framework: "iso27001", controls: &["A.8.13"] }, Control { framework: "hipaa", controls: &["164.308(a)(7)(ii)(A)"] }, Control { framework: "nist-800-53", controls: &["CP-9"] }]),
    resource_types: &["azurerm_storage_account", "azure:storage/account:Account"],
    remediation: "Set `blob_properties.versioning_enabled = true` (Pulumi `blobProperties.versioningEnabled`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Storage accounts in Terraform and Pulumi `azure`: `blob_properties[0].versioning_enabled` (Pulumi `blobProperties.versioningEnabled`) must be `true`; the default is `false`. Azure Native sets it on `BlobServiceProperties`. Advisory by default.",
        why: "Versions let an application or an operator restore the content a blob had before an overwrite, which soft delete alone does not cover.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        // ...
        blobProperties: { versioningEnabled: false },
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      # ...
      blob_properties {
        versioning_enabled = false
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        // ...
        blobProperties: { versioningEnabled: true },
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      # ...
      blob_properties {
        versioning_enabled = true
      }
    }"#,
        fix: "Enable versioning and a lifecycle rule that expires old versions. No automatic fix: versions cost storage.",
        references: &[
            "Microsoft Learn: Blob versioning — https://learn.microsoft.com/azure/storage/blobs/versioning-overview",
            "NIST SP 800-53 Rev. 5: CP-9",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on("blobProperties.versioningEnabled", false);

const NATIVE: Want = Want::on("blobProperties.versioningEnabled", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "storage account",
        "does not keep blob versions",
    )
}
