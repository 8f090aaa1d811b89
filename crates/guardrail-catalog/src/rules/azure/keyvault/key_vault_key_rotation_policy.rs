//! AZURE-KEYVAULT-008: Key Vault keys rotate automatically.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-KEYVAULT-008",
    name: "key-vault-key-rotation-policy",
    title: "Key Vault keys rotate automatically",
    description: "Keys without a rotation policy stay in use until someone remembers to rotate them.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["keyvault"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["8.8"] }, Control { framework: "pci-dss", controls: &["3.6.1", "3.7.4"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "nist-800-53", controls: &["SC-12"] }]),
    resource_types: &["azurerm_key_vault_key", "azure:keyvault/key:Key", "azure-native:keyvault:Key"],
    remediation: "Set `rotation_policy` (Pulumi `rotationPolicy`, Azure Native `properties.rotationPolicy`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Key Vault keys in every spelling: Terraform reads the `rotation_policy` block, Pulumi `azure` `rotationPolicy`, Azure Native `properties.rotationPolicy`. Unset is a violation. Advisory by default.",
        why: "Automatic rotation bounds how long one key version protects data and makes rotation routine rather than an emergency procedure; PCI DSS asks that keys be changed at the end of their cryptoperiod.",
        noncompliant: "The key without `rotation_policy` (Pulumi `rotationPolicy`, Azure Native `properties.rotationPolicy`) set.",
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.keyvault.Key("cmk", {
        // ...
        rotationPolicy: { expireAfter: "P2Y", notifyBeforeExpiry: "P30D", automatic: { timeBeforeExpiry: "P30D" } },
    });

Pulumi Azure Native (TypeScript):

    new keyvault.Key("cmk", {
        // ...
        properties: { rotationPolicy: { attributes: { expiryTime: "P2Y" }, lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeBeforeExpiry: "P30D" } }] } },
    });

Terraform:

    resource "azurerm_key_vault_key" "cmk" {
      # ...
      rotation_policy {
        expire_after = "P2Y"
        notify_before_expiry = "P30D"
        automatic {
          time_before_expiry = "P30D"
        }
      }
    }"#,
        fix: "Add a rotation policy with automatic rotation before expiry. No automatic fix: the periods are a decision.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 8.8 Ensure Automatic Key Rotation is Enabled Within Azure Key Vault for the Supported Services",
            "Microsoft Learn: Configure cryptographic key auto-rotation in Azure Key Vault — https://learn.microsoft.com/azure/key-vault/keys/how-to-configure-key-rotation",
            "PCI DSS v4.0: 3.7.4; NIST SP 800-53 Rev. 5: SC-12",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::present("rotationPolicy");

const NATIVE: Want = Want::present("properties.rotationPolicy");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(view, BRIDGED, NATIVE, "key", "has no rotation policy")
}
