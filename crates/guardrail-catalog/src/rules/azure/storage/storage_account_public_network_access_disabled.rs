//! AZURE-STORAGE-008: Storage accounts are reached through private endpoints only.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-STORAGE-008",
    name: "storage-account-public-network-access-disabled",
    title: "Storage accounts are reached through private endpoints only",
    description: "A storage account with public network access enabled exposes its endpoints to the internet, subject only to its firewall rules.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["storage"],
    topics: &["network", "public-access"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["3.10"] }, Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_storage_account", "azure:storage/account:Account", "azure-native:storage:StorageAccount"],
    remediation: r#"Set `public_network_access_enabled = false` (Pulumi `publicNetworkAccessEnabled`, Azure Native `publicNetworkAccess: "Disabled"`) and reach the account through private endpoints."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Storage accounts in every spelling: Terraform and Pulumi `azure` read `public_network_access_enabled` (default `true`: a violation), Azure Native `publicNetworkAccess` (`Enabled` when unset: a violation). Advisory by default: it suits accounts used only from inside virtual networks.",
        why: "With public network access disabled, the account answers only on its private endpoints: its data cannot be reached from the internet even with a valid key, and network-level exfiltration needs access to the private network first.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        accountTier: "Standard",
        accountReplicationType: "GRS",
    });

Pulumi Azure Native (TypeScript):

    new storage.StorageAccount("appdata", {
        kind: "StorageV2",
        sku: { name: "Standard_GRS" },
        publicNetworkAccess: "Enabled",
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      # ...
      public_network_access_enabled = true
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        // ...
        publicNetworkAccessEnabled: false,
    });

Pulumi Azure Native (TypeScript):

    new storage.StorageAccount("appdata", {
        kind: "StorageV2",
        sku: { name: "Standard_GRS" },
        publicNetworkAccess: "Disabled",
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      # ...
      public_network_access_enabled = false
    }

    resource "azurerm_private_endpoint" "appdata_blob" {
      # ... subresource_names = ["blob"]
    }"#,
        fix: "Create private endpoints (and private DNS zones) for the sub-resources in use, then disable public network access. No automatic fix: clients outside the virtual network lose access.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 3.10 Ensure Private Endpoints are used to access Storage Accounts",
            "Microsoft Learn: Use private endpoints for Azure Storage — https://learn.microsoft.com/azure/storage/common/storage-private-endpoints",
            "NIST SP 800-53 Rev. 5: SC-7",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::off("publicNetworkAccessEnabled", true);

const NATIVE: Want = Want::one_of("publicNetworkAccess", &["Disabled"], "Enabled");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "storage account",
        "is reachable from public networks",
    )
}
