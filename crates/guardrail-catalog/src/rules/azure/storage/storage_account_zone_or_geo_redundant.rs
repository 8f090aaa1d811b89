//! AZURE-STORAGE-018: Storage accounts replicate beyond one datacenter.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Pass, Unset, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-STORAGE-018",
    name: "storage-account-zone-or-geo-redundant",
    title: "Storage accounts replicate beyond one datacenter",
    description: "Locally redundant storage keeps all copies in one datacenter; a datacenter failure makes the data unavailable or lost.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["storage"],
    topics: &["resilience", "backup"],
    frameworks: Frameworks::Mapped(&[Control { framework: "soc2", controls: &["A1.2"] }, Control { framework: "iso27001", controls: &["A.8.13"] }, Control { framework: "hipaa", controls: &["164.308(a)(7)(ii)(A)"] }, Control { framework: "nist-800-53", controls: &["CP-9"] }]),
    resource_types: &["azurerm_storage_account", "azure:storage/account:Account", "azure-native:storage:StorageAccount"],
    remediation: r#"Set `account_replication_type = "GZRS"` (Pulumi `accountReplicationType`, Azure Native `sku.name: "Standard_GZRS"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Storage accounts in every spelling: Terraform and Pulumi `azure` read `account_replication_type` (required), Azure Native `sku.name`; `LRS` (`Standard_LRS`, `Premium_LRS`) is a violation. Advisory by default: scratch data needs no redundancy.",
        why: "Zone- or geo-redundant storage survives the loss of a datacenter or a region; LRS does not.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        // ...
        accountReplicationType: "LRS",
    });

Pulumi Azure Native (TypeScript):

    new storage.StorageAccount("appdata", {
        // ...
        sku: { name: "Standard_LRS" },
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      # ...
      account_replication_type = "LRS"
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        // ...
        accountReplicationType: "GZRS",
    });

Pulumi Azure Native (TypeScript):

    new storage.StorageAccount("appdata", {
        // ...
        sku: { name: "Standard_GZRS" },
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      # ...
      account_replication_type = "GZRS"
    }"#,
        fix: "Choose ZRS, GRS or GZRS (a conversion for existing accounts). No automatic fix: it changes cost and may need a migration.",
        references: &[
            "Microsoft Learn: Azure Storage redundancy — https://learn.microsoft.com/azure/storage/common/storage-redundancy",
            "NIST SP 800-53 Rev. 5: CP-9",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want {
    path: "accountReplicationType",
    pass: Pass::OneOf(&["ZRS", "GRS", "RAGRS", "GZRS", "RAGZRS"]),
    unset: Unset::Fails,
};

const NATIVE: Want = Want {
    path: "sku.name",
    pass: Pass::OneOf(&[
        "Standard_ZRS",
        "Standard_GRS",
        "Standard_RAGRS",
        "Standard_GZRS",
        "Standard_RAGZRS",
        "Premium_ZRS",
    ]),
    unset: Unset::Fails,
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "storage account",
        "keeps its data in one datacenter",
    )
}
