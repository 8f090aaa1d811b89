//! AZURE-STORAGE-011: Storage accounts keep deleted containers for a while.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-STORAGE-011",
    name: "storage-account-container-soft-delete",
    title: "Storage accounts keep deleted containers for a while",
    description: "Without container soft delete, deleting a container deletes every blob in it for good.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["storage"],
    topics: &["data-protection", "backup"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["3.11"] }, Control { framework: "soc2", controls: &["A1.2"] }, Control { framework: "iso27001", controls: &["A.8.13"] }, Control { framework: "hipaa", controls: &["164.308(a)(7)(ii)(A)"] }, Control { framework: "nist-800-53", controls: &["CP-9"] }]),
    resource_types: &["azurerm_storage_account", "azure:storage/account:Account"],
    remediation: "Add `blob_properties { container_delete_retention_policy { days = 14 } }` (Pulumi `blobProperties.containerDeleteRetentionPolicy`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Storage accounts in Terraform and Pulumi `azure`: `blob_properties[0].container_delete_retention_policy` (Pulumi `blobProperties.containerDeleteRetentionPolicy`) must be set. Azure Native sets it on the separate `BlobServiceProperties` resource.",
        why: "One container deletion removes all its blobs at once; container soft delete lets them be restored within the retention period.",
        noncompliant: "The storage account without `blob_properties.container_delete_retention_policy` (Pulumi `blobProperties.containerDeleteRetentionPolicy`) set.",
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        // ...
        blobProperties: { containerDeleteRetentionPolicy: { days: 14 } },
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      # ...
      blob_properties {
        container_delete_retention_policy {
          days = 14
        }
      }
    }"#,
        fix: "Add a `container_delete_retention_policy` with the days to keep. No automatic fix.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 3.11 Ensure Soft Delete is Enabled for Azure Containers and Blob Storage",
            "Microsoft Learn: Soft delete for containers — https://learn.microsoft.com/azure/storage/blobs/soft-delete-container-overview",
            "NIST SP 800-53 Rev. 5: CP-9",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::present("blobProperties.containerDeleteRetentionPolicy");

const NATIVE: Want = Want::present("blobProperties.containerDeleteRetentionPolicy");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "storage account",
        "does not keep deleted containers",
    )
}
