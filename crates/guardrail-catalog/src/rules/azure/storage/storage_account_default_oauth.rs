//! AZURE-STORAGE-017: Storage accounts default to Microsoft Entra authorization in the portal.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-STORAGE-017",
    name: "storage-account-default-oauth",
    title: "Storage accounts default to Microsoft Entra authorization in the portal",
    description: "Without this default, the Azure portal reads data with the account key, which hides who accessed what.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["storage"],
    topics: &["identity"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["8.2.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.5"] }, Control { framework: "nist-800-53", controls: &["IA-2"] }]),
    resource_types: &["azurerm_storage_account", "azure:storage/account:Account", "azure-native:storage:StorageAccount"],
    remediation: "Set `default_to_oauth_authentication = true` (Pulumi `defaultToOauthAuthentication`, Azure Native `defaultToOAuthAuthentication: true`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Storage accounts in every spelling: Terraform and Pulumi `azure` read `default_to_oauth_authentication`, Azure Native `defaultToOAuthAuthentication`; both default to `false`. Advisory by default.",
        why: "Portal users then browse data with their own identity and RBAC, and their access is logged under their name instead of the shared key.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        // ...
        defaultToOauthAuthentication: false,
    });

Pulumi Azure Native (TypeScript):

    new storage.StorageAccount("appdata", {
        // ...
        defaultToOAuthAuthentication: false,
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      # ...
      default_to_oauth_authentication = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        // ...
        defaultToOauthAuthentication: true,
    });

Pulumi Azure Native (TypeScript):

    new storage.StorageAccount("appdata", {
        // ...
        defaultToOAuthAuthentication: true,
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      # ...
      default_to_oauth_authentication = true
    }"#,
        fix: "Set it to `true`; guardrail's fix (safe) writes it.",
        references: &[
            "Microsoft Learn: Default to Microsoft Entra authorization in the Azure portal — https://learn.microsoft.com/azure/storage/blobs/authorize-data-operations-portal#default-to-microsoft-entra-authorization-in-the-azure-portal",
            "NIST SP 800-53 Rev. 5: IA-2",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want::on("defaultToOauthAuthentication", false);

const NATIVE: Want = Want::on("defaultToOAuthAuthentication", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "storage account",
        "defaults to key-based access in the portal",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    setting_fix(view, (BRIDGED, Lit::Bool(true)), (NATIVE, Lit::Bool(true)))
}
