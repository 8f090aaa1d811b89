//! AZURE-KEYVAULT-006: Key Vault RSA keys are at least 2048 bits.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, is_native, read};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-KEYVAULT-006",
    name: "key-vault-rsa-key-size",
    title: "Key Vault RSA keys are at least 2048 bits",
    description: "RSA keys shorter than 2048 bits no longer give adequate strength for encryption or signatures.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["keyvault"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["3.6.1"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "nist-800-53", controls: &["SC-12", "SC-13"] }]),
    resource_types: &["azurerm_key_vault_key", "azure:keyvault/key:Key", "azure-native:keyvault:Key"],
    remediation: "Create RSA keys with `key_size` 3072 or 4096 (Pulumi `keySize`, Azure Native `properties.keySize`), or use elliptic-curve keys.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Key Vault keys of type `RSA` or `RSA-HSM` (Terraform `key_type`, Azure Native `properties.kty`): the key size (`key_size`, Azure Native `properties.keySize`) must be at least 2048. An RSA key without a size is created by Key Vault with 2048 bits and passes; elliptic-curve keys are not applicable.",
        why: "NIST SP 800-57 and PCI DSS's strong-cryptography definition put RSA below 2048 bits under the 112-bit security level; such keys can be factored with feasible effort, exposing everything they wrapped or signed.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.keyvault.Key("legacy", { keyVaultId: vault.id, keyType: "RSA", keySize: 1024, keyOpts: ["sign"] });

Pulumi Azure Native (TypeScript):

    new keyvault.Key("legacy", { vaultName: vault.name, resourceGroupName: rg.name, properties: { kty: "RSA", keySize: 1024 } });

Terraform:

    resource "azurerm_key_vault_key" "legacy" {
      # ...
      key_type = "RSA"
      key_size = 1024
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.keyvault.Key("cmk", { keyVaultId: vault.id, keyType: "RSA", keySize: 3072, keyOpts: ["wrapKey", "unwrapKey"] });

Pulumi Azure Native (TypeScript):

    new keyvault.Key("cmk", { vaultName: vault.name, resourceGroupName: rg.name, properties: { kty: "RSA", keySize: 3072 } });

Terraform:

    resource "azurerm_key_vault_key" "cmk" {
      # ...
      key_type = "RSA"
      key_size = 3072
    }"#,
        fix: "Create a new key of 3072 or 4096 bits, re-wrap or re-sign with it, then disable the short key. No automatic fix: changing the size replaces the key.",
        references: &[
            "Microsoft Learn: About keys (supported key types and sizes) — https://learn.microsoft.com/azure/key-vault/keys/about-keys",
            "NIST SP 800-57 Part 1 Rev. 5: Recommendation for Key Management, table 2",
            "PCI DSS v4.0: 3.6.1; NIST SP 800-53 Rev. 5: SC-12, SC-13",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let (kind, size) = if is_native(view) {
        ("properties.kty", "properties.keySize")
    } else {
        ("keyType", "keySize")
    };
    let Some(kty) = read(view, kind)?.and_then(|v| v.as_str()) else {
        return Ok(Verdict::not_applicable("the key type is not set"));
    };
    if !kty.to_ascii_uppercase().starts_with("RSA") {
        return Ok(Verdict::not_applicable("not an RSA key"));
    }
    let Some(bits) = read(view, size)? else {
        return Ok(Verdict::Pass);
    };
    match bits.as_i64() {
        Some(n) if n >= 2048 => Ok(Verdict::Pass),
        _ => {
            let secret = view.secret_at(size);
            Ok(Verdict::violation(
                Violation::new(format!(
                    "RSA key `{}` is shorter than 2048 bits (`{}` is `{}`)",
                    view.resource.name,
                    at(view, size),
                    bits.clone().tainted_if(secret).shown()
                ))
                .at(at(view, size)),
            ))
        }
    }
}
