//! AZURE-STORAGE-001: Storage accounts accept HTTPS requests only.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-STORAGE-001",
    name: "storage-account-https-only",
    title: "Storage accounts accept HTTPS requests only",
    description: "A storage account that accepts plain HTTP lets account keys, SAS tokens and data cross the network unencrypted.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["storage"],
    topics: &["encryption", "network"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["3.1"] }, Control { framework: "pci-dss", controls: &["4.2.1"] }, Control { framework: "soc2", controls: &["CC6.7"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "hipaa", controls: &["164.312(e)(1)"] }, Control { framework: "nist-800-53", controls: &["SC-8"] }]),
    resource_types: &["azurerm_storage_account", "azure:storage/account:Account", "azure-native:storage:StorageAccount"],
    remediation: "Set `https_traffic_only_enabled = true` (Pulumi `httpsTrafficOnlyEnabled`, Azure Native `enableHttpsTrafficOnly`), or leave it unset: the default is HTTPS only.",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Storage accounts (`azurerm_storage_account`, Pulumi `azure:storage/account:Account`, Azure Native `azure-native:storage:StorageAccount`): secure transfer must be required. Terraform reads `https_traffic_only_enabled` (azurerm 4) or `enable_https_traffic_only` (azurerm 3), Pulumi `httpsTrafficOnlyEnabled`/`enableHttpsTrafficOnly`, Azure Native `enableHttpsTrafficOnly`. Unset means the default of both providers, `true`, and passes.",
        why: "Over plain HTTP every request, with its shared key signature or SAS token and the data itself, can be read and replayed by anyone on the path. Requiring secure transfer makes the account refuse HTTP (and unencrypted SMB) outright.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        resourceGroupName: rg.name,
        accountTier: "Standard",
        accountReplicationType: "GRS",
        httpsTrafficOnlyEnabled: false,
    });

Pulumi Azure Native (TypeScript):

    new storage.StorageAccount("appdata", {
        resourceGroupName: rg.name,
        kind: "StorageV2",
        sku: { name: "Standard_GRS" },
        enableHttpsTrafficOnly: false,
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      name                       = "stappdata01"
      resource_group_name        = azurerm_resource_group.app.name
      location                   = "westeurope"
      account_tier               = "Standard"
      account_replication_type   = "GRS"
      https_traffic_only_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        resourceGroupName: rg.name,
        accountTier: "Standard",
        accountReplicationType: "GRS",
        httpsTrafficOnlyEnabled: true,
    });

Pulumi Azure Native (TypeScript):

    new storage.StorageAccount("appdata", {
        resourceGroupName: rg.name,
        kind: "StorageV2",
        sku: { name: "Standard_GRS" },
        enableHttpsTrafficOnly: true,
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      name                       = "stappdata01"
      resource_group_name        = azurerm_resource_group.app.name
      location                   = "westeurope"
      account_tier               = "Standard"
      account_replication_type   = "GRS"
      https_traffic_only_enabled = true
    }"#,
        fix: "Set the flag to `true` or remove it. guardrail's fix (safe) writes it in the resource's own spelling. Clients still on `http://` endpoints must move to `https://` first.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 3.1 Ensure that 'Secure transfer required' is set to 'Enabled'",
            "Microsoft Learn: Require secure transfer to ensure secure connections — https://learn.microsoft.com/azure/storage/common/storage-require-secure-transfer",
            "PCI DSS v4.0: 4.2.1; HIPAA: 164.312(e)(1); NIST SP 800-53 Rev. 5: SC-8; ISO/IEC 27001:2022: A.8.24",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want::on("httpsTrafficOnlyEnabled|enableHttpsTrafficOnly", true);

const NATIVE: Want = Want::on("enableHttpsTrafficOnly", true);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "storage account",
        "accepts unencrypted HTTP requests",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    setting_fix(view, (BRIDGED, Lit::Bool(true)), (NATIVE, Lit::Bool(true)))
}
