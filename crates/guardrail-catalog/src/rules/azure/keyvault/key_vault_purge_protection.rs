//! AZURE-KEYVAULT-001: Key vaults have purge protection.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-KEYVAULT-001",
    name: "key-vault-purge-protection",
    title: "Key vaults have purge protection",
    description: "Without purge protection a deleted vault, key or secret can be purged at once, destroying the keys that encrypt other data.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["keyvault"],
    topics: &["data-protection", "encryption"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["8.5"] }, Control { framework: "soc2", controls: &["A1.2"] }, Control { framework: "iso27001", controls: &["A.8.13"] }, Control { framework: "hipaa", controls: &["164.308(a)(7)(ii)(A)"] }, Control { framework: "nist-800-53", controls: &["CP-9", "SC-12"] }]),
    resource_types: &["azurerm_key_vault", "azure:keyvault/keyVault:KeyVault", "azure-native:keyvault:Vault"],
    remediation: "Set `purge_protection_enabled = true` (Pulumi `purgeProtectionEnabled`, Azure Native `properties.enablePurgeProtection: true`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Key vaults (`azurerm_key_vault`, Pulumi `azure:keyvault/keyVault:KeyVault`, Azure Native `azure-native:keyvault:Vault`): purge protection must be on. Terraform and Pulumi `azure` read `purge_protection_enabled` (default `false`), Azure Native `properties.enablePurgeProtection` (unset: off). Soft delete is always on for new vaults; purge protection is what stops a soft-deleted vault or object from being destroyed before its retention ends. Azure Native keeps a vault's settings under its `properties` input (`properties.enablePurgeProtection`): the Key Vault resources are not flattened.",
        why: "A customer-managed key that is purged makes every disk, database and storage account encrypted with it unreadable for good. An attacker with delete and purge rights, or a mistaken cleanup script, can do that in seconds; purge protection keeps deleted objects recoverable for the retention period whatever the caller's rights.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.keyvault.KeyVault("app", {
        tenantId,
        skuName: "standard",
        // purgeProtectionEnabled unset: false
    });

Pulumi Azure Native (TypeScript):

    new keyvault.Vault("app", {
        resourceGroupName: rg.name,
        properties: { tenantId, sku: { family: "A", name: "standard" } },
    });

Terraform:

    resource "azurerm_key_vault" "app" {
      # ...
      purge_protection_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.keyvault.KeyVault("app", {
        tenantId,
        skuName: "standard",
        purgeProtectionEnabled: true,
    });

Pulumi Azure Native (TypeScript):

    new keyvault.Vault("app", {
        resourceGroupName: rg.name,
        properties: {
            tenantId,
            sku: { family: "A", name: "standard" },
            enablePurgeProtection: true,
        },
    });

Terraform:

    resource "azurerm_key_vault" "app" {
      # ...
      purge_protection_enabled   = true
      soft_delete_retention_days = 90
    }"#,
        fix: "Turn purge protection on. It cannot be turned off again, and a vault with it cannot be deleted for good before the retention ends (names stay taken): guardrail offers no automatic fix for that reason.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 8.5 Ensure the Key Vault is Recoverable",
            "Microsoft Learn: Azure Key Vault soft-delete overview (purge protection) — https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview",
            "NIST SP 800-53 Rev. 5: CP-9, SC-12",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on("purgeProtectionEnabled", false);

const NATIVE: Want = Want::on("properties.enablePurgeProtection", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "key vault",
        "can be purged before its retention period ends",
    )
}
