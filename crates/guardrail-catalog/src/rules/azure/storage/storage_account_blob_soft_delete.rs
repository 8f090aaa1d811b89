//! AZURE-STORAGE-010: Storage accounts keep deleted blobs for a while.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-STORAGE-010",
    name: "storage-account-blob-soft-delete",
    title: "Storage accounts keep deleted blobs for a while",
    description: "Without blob soft delete, a deleted or overwritten blob is gone at once, whether by mistake, a faulty script or ransomware.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["storage"],
    topics: &["data-protection", "backup"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["3.11"] }, Control { framework: "soc2", controls: &["A1.2"] }, Control { framework: "iso27001", controls: &["A.8.13"] }, Control { framework: "hipaa", controls: &["164.308(a)(7)(ii)(A)"] }, Control { framework: "nist-800-53", controls: &["CP-9"] }]),
    resource_types: &["azurerm_storage_account", "azure:storage/account:Account"],
    remediation: "Add `blob_properties { delete_retention_policy { days = 14 } }` (Pulumi `blobProperties.deleteRetentionPolicy`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Storage accounts in Terraform (`azurerm_storage_account`) and Pulumi `azure`: `blob_properties[0].delete_retention_policy` (Pulumi `blobProperties.deleteRetentionPolicy`) must be set; without it blob soft delete is off. Azure Native configures blob service properties in a separate resource (`BlobServiceProperties`) and has no spelling of this on the account.",
        why: "Soft delete keeps deleted and overwritten blobs recoverable for the retention period: the cheapest defence against accidental deletion and against ransomware that deletes or encrypts data in place.",
        noncompliant: "The storage account without `blob_properties.delete_retention_policy` (Pulumi `blobProperties.deleteRetentionPolicy`) set.",
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        // ...
        blobProperties: { deleteRetentionPolicy: { days: 14 } },
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      # ...
      blob_properties {
        delete_retention_policy {
          days = 14
          permanent_delete_enabled = false
        }
      }
    }"#,
        fix: "Add a `delete_retention_policy` with the days to keep (7 to 365). No automatic fix: the retention is a cost decision.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 3.11 Ensure Soft Delete is Enabled for Azure Containers and Blob Storage",
            "Microsoft Learn: Soft delete for blobs — https://learn.microsoft.com/azure/storage/blobs/soft-delete-blob-overview",
            "NIST SP 800-53 Rev. 5: CP-9",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::present("blobProperties.deleteRetentionPolicy");

const NATIVE: Want = Want::present("blobProperties.deleteRetentionPolicy");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "storage account",
        "does not keep deleted blobs",
    )
}
