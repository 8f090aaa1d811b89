//! AZURE-STORAGE-006: Storage accounts do not replicate objects to other tenants.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-STORAGE-006",
    name: "storage-account-no-cross-tenant-replication",
    title: "Storage accounts do not replicate objects to other tenants",
    description: "Cross-tenant object replication lets a policy copy the account's blobs into a storage account of another Microsoft Entra tenant.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["storage"],
    topics: &["data-protection"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["3.16"] }, Control { framework: "soc2", controls: &["CC6.7"] }, Control { framework: "iso27001", controls: &["A.8.12"] }, Control { framework: "nist-800-53", controls: &["AC-4"] }]),
    resource_types: &["azurerm_storage_account", "azure:storage/account:Account", "azure-native:storage:StorageAccount"],
    remediation: "Set `cross_tenant_replication_enabled = false` (Pulumi `crossTenantReplicationEnabled`, Azure Native `allowCrossTenantReplication: false`).",
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Storage accounts in every spelling: Terraform and Pulumi `azure` read `cross_tenant_replication_enabled` (azurerm 4 default `false`; plans of azurerm 3, whose default was `true`, show the value explicitly), Azure Native `allowCrossTenantReplication` (Azure API default `false` for new accounts). Only `true` is a violation.",
        why: "A replication policy to an account in another tenant moves data outside the organisation's directory, its access reviews and its logging; an insider or a compromised identity can use it to exfiltrate a whole container continuously.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        // ...
        crossTenantReplicationEnabled: true,
    });

Pulumi Azure Native (TypeScript):

    new storage.StorageAccount("appdata", {
        kind: "StorageV2",
        sku: { name: "Standard_GRS" },
        allowCrossTenantReplication: true,
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      # ...
      cross_tenant_replication_enabled = true
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        // ...
        crossTenantReplicationEnabled: false,
    });

Pulumi Azure Native (TypeScript):

    new storage.StorageAccount("appdata", {
        kind: "StorageV2",
        sku: { name: "Standard_GRS" },
        allowCrossTenantReplication: false,
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      # ...
      cross_tenant_replication_enabled = false
    }"#,
        fix: "Set it to `false`. The fix is unsafe: existing cross-tenant replication policies stop, so confirm none is needed.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 3.16 Ensure 'Cross Tenant Replication' is not enabled",
            "Microsoft Learn: Prevent object replication across Microsoft Entra tenants — https://learn.microsoft.com/azure/storage/blobs/object-replication-prevent-cross-tenant-policies",
            "NIST SP 800-53 Rev. 5: AC-4",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want::off("crossTenantReplicationEnabled", false);

const NATIVE: Want = Want::off("allowCrossTenantReplication", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "storage account",
        "allows object replication to other tenants",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    setting_fix(
        view,
        (BRIDGED, Lit::Bool(false)),
        (NATIVE, Lit::Bool(false)),
    )
}
