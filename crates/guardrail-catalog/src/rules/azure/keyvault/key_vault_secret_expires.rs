//! AZURE-KEYVAULT-005: Key Vault secrets have an expiration date.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-KEYVAULT-005",
    name: "key-vault-secret-expires",
    title: "Key Vault secrets have an expiration date",
    description: "A secret without an expiration date tends never to be rotated: a leaked password stays valid for as long as it exists.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["keyvault"],
    topics: &["secrets"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["8.3", "8.4"] }, Control { framework: "pci-dss", controls: &["8.3.9"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.5.17"] }, Control { framework: "nist-800-53", controls: &["IA-5"] }]),
    resource_types: &["azurerm_key_vault_secret", "azure:keyvault/secret:Secret", "azure-native:keyvault:Secret"],
    remediation: "Set `expiration_date` on the secret (Pulumi `expirationDate`, Azure Native `properties.attributes.expires`) and rotate it before then.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Key Vault secrets (`azurerm_key_vault_secret`, Pulumi `azure:keyvault/secret:Secret`, Azure Native `azure-native:keyvault:Secret`): an expiration date must be set. Terraform and Pulumi `azure` read `expiration_date`, Azure Native `properties.attributes.expires` (seconds since the epoch). The secret's value is never read or shown.",
        why: "An expiration date forces a rotation schedule on passwords, connection strings and API keys kept in the vault, and makes Key Vault raise near-expiry events; without it a credential that leaked years ago may still work.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.keyvault.Secret("db", {
        keyVaultId: vault.id,
        value: dbPassword.result,
    });

Pulumi Azure Native (TypeScript):

    new keyvault.Secret("db", {
        vaultName: vault.name,
        resourceGroupName: rg.name,
        properties: { value: dbPassword.result },
    });

Terraform:

    resource "azurerm_key_vault_secret" "db" {
      name         = "db-password"
      key_vault_id = azurerm_key_vault.app.id
      value        = random_password.db.result
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.keyvault.Secret("db", {
        keyVaultId: vault.id,
        value: dbPassword.result,
        expirationDate: "2026-12-31T00:00:00Z",
    });

Pulumi Azure Native (TypeScript):

    new keyvault.Secret("db", {
        vaultName: vault.name,
        resourceGroupName: rg.name,
        properties: { value: dbPassword.result, attributes: { expires: 1798675200 } },
    });

Terraform:

    resource "azurerm_key_vault_secret" "db" {
      # ...
      expiration_date = "2026-12-31T00:00:00Z"
    }"#,
        fix: "Set an expiration date and a process (or an Event Grid-triggered function) that rotates the secret before it. No automatic fix: the date is a decision.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 8.3 Ensure that the Expiration Date is set for all Secrets in RBAC Key Vaults; 8.4 ... in Non-RBAC Key Vaults",
            "Microsoft Learn: Automate the rotation of a secret — https://learn.microsoft.com/azure/key-vault/secrets/tutorial-rotation",
            "NIST SP 800-53 Rev. 5: IA-5",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::present("expirationDate");

const NATIVE: Want = Want::present("properties.attributes.expires");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(view, BRIDGED, NATIVE, "key vault secret", "never expires")
}
