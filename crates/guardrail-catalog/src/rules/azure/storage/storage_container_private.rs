//! AZURE-STORAGE-015: Blob containers are private.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-STORAGE-015",
    name: "storage-container-private",
    title: "Blob containers are private",
    description: "A container with access level blob or container lets anyone on the internet read its blobs (and list them, for container).",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["storage"],
    topics: &["public-access", "data-protection"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["3.7"] }, Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.3"] }, Control { framework: "nist-800-53", controls: &["AC-3"] }]),
    resource_types: &["azurerm_storage_container", "azure:storage/container:Container", "azure-native:storage:BlobContainer"],
    remediation: r#"Set `container_access_type = "private"` (Pulumi `containerAccessType`, Azure Native `publicAccess: "None"`)."#,
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Blob containers (`azurerm_storage_container`, Pulumi `azure:storage/container:Container`, Azure Native `azure-native:storage:BlobContainer`): Terraform and Pulumi `azure` read `container_access_type` (default `private`), Azure Native `publicAccess` (default `None`). `blob` or `container` is a violation.",
        why: "Anonymous containers are the classic source of cloud data leaks: the URL is guessable, reads leave no identity, and the account-level switch (AZURE-STORAGE-003) is the only other barrier.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Container("uploads", {
        // ...
        containerAccessType: "blob",
    });

Pulumi Azure Native (TypeScript):

    new storage.BlobContainer("uploads", {
        // ...
        publicAccess: "Blob",
    });

Terraform:

    resource "azurerm_storage_container" "uploads" {
      # ...
      container_access_type = "blob"
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Container("uploads", {
        // ...
        containerAccessType: "private",
    });

Pulumi Azure Native (TypeScript):

    new storage.BlobContainer("uploads", {
        // ...
        publicAccess: "None",
    });

Terraform:

    resource "azurerm_storage_container" "uploads" {
      # ...
      container_access_type = "private"
    }"#,
        fix: "Set the access level to `private` and hand out SAS tokens or Entra roles to readers. guardrail's fix is unsafe: anonymous readers lose access.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 3.7 Ensure that 'Public access level' is disabled for storage accounts with blob containers",
            "Microsoft Learn: Configure anonymous read access for containers and blobs — https://learn.microsoft.com/azure/storage/blobs/anonymous-read-access-configure",
            "NIST SP 800-53 Rev. 5: AC-3",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want::one_of("containerAccessType", &["private"], "private");

const NATIVE: Want = Want::one_of("publicAccess", &["None"], "None");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "storage container",
        "allows anonymous reads",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    setting_fix(
        view,
        (BRIDGED, Lit::Text("private")),
        (NATIVE, Lit::Text("None")),
    )
}
