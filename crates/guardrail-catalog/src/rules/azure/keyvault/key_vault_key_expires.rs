//! AZURE-KEYVAULT-004: Key Vault keys have an expiration date.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-KEYVAULT-004",
    name: "key-vault-key-expires",
    title: "Key Vault keys have an expiration date",
    description: "A key without an expiration date can stay in use indefinitely, past any cryptoperiod the organisation sets.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["keyvault"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["8.1", "8.2"] }, Control { framework: "pci-dss", controls: &["3.6.1", "3.7.4"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "nist-800-53", controls: &["SC-12"] }]),
    resource_types: &["azurerm_key_vault_key", "azure:keyvault/key:Key", "azure-native:keyvault:Key"],
    remediation: "Set `expiration_date` on the key (Pulumi `expirationDate`, Azure Native `properties.attributes.expires`, seconds since the epoch) and rotate it before then.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Key Vault keys (`azurerm_key_vault_key`, Pulumi `azure:keyvault/key:Key`, Azure Native `azure-native:keyvault:Key`): an expiration date must be set. Terraform and Pulumi `azure` read `expiration_date` (RFC 3339), Azure Native `properties.attributes.expires` (seconds since the epoch). Unset is a violation. Advisory by default, since a rotation policy (`rotation_policy`) that renews the key also meets the intent.",
        why: "An expiration date bounds the key's cryptoperiod: after it the key can no longer encrypt, so a forgotten key or one whose material leaked stops being used. PCI DSS and NIST key-management guidance expect a defined cryptoperiod for every key.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.keyvault.Key("cmk", {
        keyVaultId: vault.id,
        keyType: "RSA",
        keySize: 3072,
        keyOpts: ["wrapKey", "unwrapKey"],
    });

Pulumi Azure Native (TypeScript):

    new keyvault.Key("cmk", {
        vaultName: vault.name,
        resourceGroupName: rg.name,
        properties: { kty: "RSA", keySize: 3072 },
    });

Terraform:

    resource "azurerm_key_vault_key" "cmk" {
      name         = "cmk-storage"
      key_vault_id = azurerm_key_vault.app.id
      key_type     = "RSA"
      key_size     = 3072
      key_opts     = ["wrapKey", "unwrapKey"]
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.keyvault.Key("cmk", {
        // ...
        expirationDate: "2027-01-31T00:00:00Z",
    });

Pulumi Azure Native (TypeScript):

    new keyvault.Key("cmk", {
        // ...
        properties: { kty: "RSA", keySize: 3072, attributes: { expires: 1801353600 } },
    });

Terraform:

    resource "azurerm_key_vault_key" "cmk" {
      # ...
      expiration_date = "2027-01-31T00:00:00Z"
      rotation_policy {
        expire_after         = "P2Y"
        notify_before_expiry = "P30D"
        automatic {
          time_before_expiry = "P30D"
        }
      }
    }"#,
        fix: "Set an expiration date that matches the organisation's cryptoperiod, and a rotation policy that renews the key before it. No automatic fix: the date is a decision.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 8.1 Ensure that the Expiration Date is set for all Keys in RBAC Key Vaults; 8.2 ... in Non-RBAC Key Vaults",
            "Microsoft Learn: Configure cryptographic key auto-rotation in Azure Key Vault — https://learn.microsoft.com/azure/key-vault/keys/how-to-configure-key-rotation",
            "PCI DSS v4.0: 3.6.1, 3.7.4; NIST SP 800-53 Rev. 5: SC-12",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::present("expirationDate");

const NATIVE: Want = Want::present("properties.attributes.expires");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(view, BRIDGED, NATIVE, "key", "never expires")
}
