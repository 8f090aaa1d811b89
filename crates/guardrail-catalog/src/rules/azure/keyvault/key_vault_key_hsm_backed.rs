//! AZURE-KEYVAULT-010: Key Vault keys are HSM-backed.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-KEYVAULT-010",
    name: "key-vault-key-hsm-backed",
    title: "Key Vault keys are HSM-backed",
    description: "Keys of type RSA-HSM or EC-HSM never leave a hardware security module; software keys live in Key Vault's software boundary.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["keyvault"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["3.6.1"] }, Control { framework: "nist-800-53", controls: &["SC-12", "SC-13"] }]),
    resource_types: &["azurerm_key_vault_key", "azure:keyvault/key:Key", "azure-native:keyvault:Key"],
    remediation: r#"Set `key_type = "RSA-HSM"` (Pulumi `keyType`, Azure Native `properties.kty: "EC-HSM"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Key Vault keys in every spelling: Terraform and Pulumi `azure` read `key_type`, Azure Native `properties.kty`; it must be an `-HSM` type. Advisory by default: HSM keys need a Premium vault or a Managed HSM.",
        why: "Keys that protect regulated data are often required to be generated and used inside FIPS 140 Level 3 hardware, where they cannot be exported.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.keyvault.Key("cmk", {
        // ...
        keyType: "RSA",
    });

Pulumi Azure Native (TypeScript):

    new keyvault.Key("cmk", {
        // ...
        properties: { kty: "EC" },
    });

Terraform:

    resource "azurerm_key_vault_key" "cmk" {
      # ...
      key_type = "RSA"
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.keyvault.Key("cmk", {
        // ...
        keyType: "RSA-HSM",
    });

Pulumi Azure Native (TypeScript):

    new keyvault.Key("cmk", {
        // ...
        properties: { kty: "EC-HSM" },
    });

Terraform:

    resource "azurerm_key_vault_key" "cmk" {
      # ...
      key_type = "RSA-HSM"
    }"#,
        fix: "Create an HSM-backed key in a Premium vault and re-wrap the data keys with it. No automatic fix: it is a new key.",
        references: &[
            "Microsoft Learn: About keys (HSM-protected keys) — https://learn.microsoft.com/azure/key-vault/keys/about-keys",
            "NIST SP 800-53 Rev. 5: SC-12, SC-13",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::one_of("keyType", &["RSA-HSM", "EC-HSM", "oct-HSM"], "RSA");

const NATIVE: Want = Want::one_of("properties.kty", &["RSA-HSM", "EC-HSM", "oct-HSM"], "RSA");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(view, BRIDGED, NATIVE, "key", "is not HSM-backed")
}
