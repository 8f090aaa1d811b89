//! AZURE-KEYVAULT-007: Key vaults are reached through private endpoints only.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-KEYVAULT-007",
    name: "key-vault-public-network-access-disabled",
    title: "Key vaults are reached through private endpoints only",
    description: "A vault with public network access answers on the internet, limited only by its firewall and authentication.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["keyvault"],
    topics: &["network", "public-access"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["8.7"] }, Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_key_vault", "azure:keyvault/keyVault:KeyVault", "azure-native:keyvault:Vault"],
    remediation: r#"Set `public_network_access_enabled = false` (Pulumi `publicNetworkAccessEnabled`, Azure Native `properties.publicNetworkAccess: "Disabled"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Key vaults in every spelling: Terraform and Pulumi `azure` read `public_network_access_enabled` (default `true`), Azure Native `properties.publicNetworkAccess` (unset: `Enabled`). Azure Native keeps a vault's settings under its `properties` input (`properties.enablePurgeProtection`): the Key Vault resources are not flattened. Advisory by default; AZURE-KEYVAULT-003 covers vaults that stay public behind a deny-by-default firewall.",
        why: "With public access disabled the vault answers only on its private endpoints, so stolen tokens are useless from outside the network.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.keyvault.KeyVault("app", {
        // ...
        publicNetworkAccessEnabled: true,
    });

Pulumi Azure Native (TypeScript):

    new keyvault.Vault("app", {
        // ...
        properties: { publicNetworkAccess: "Enabled" },
    });

Terraform:

    resource "azurerm_key_vault" "app" {
      # ...
      public_network_access_enabled = true
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.keyvault.KeyVault("app", {
        // ...
        publicNetworkAccessEnabled: false,
    });

Pulumi Azure Native (TypeScript):

    new keyvault.Vault("app", {
        // ...
        properties: { publicNetworkAccess: "Disabled" },
    });

Terraform:

    resource "azurerm_key_vault" "app" {
      # ...
      public_network_access_enabled = false
    }"#,
        fix: "Add private endpoints (sub-resource `vault`) and disable public access. No automatic fix.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 8.7 Ensure that Private Endpoints are Used for Azure Key Vault",
            "Microsoft Learn: Integrate Key Vault with Azure Private Link — https://learn.microsoft.com/azure/key-vault/general/private-link-service",
            "NIST SP 800-53 Rev. 5: SC-7",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::off("publicNetworkAccessEnabled", true);

const NATIVE: Want = Want::one_of("properties.publicNetworkAccess", &["Disabled"], "Enabled");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "key vault",
        "is reachable from public networks",
    )
}
