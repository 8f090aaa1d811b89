//! AZURE-KEYVAULT-002: Key vaults authorize data access with Azure RBAC.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-KEYVAULT-002",
    name: "key-vault-rbac-authorization",
    title: "Key vaults authorize data access with Azure RBAC",
    description: "Vault access policies grant broad, per-vault permissions outside Azure RBAC, without conditions, PIM or central review.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["keyvault"],
    topics: &["identity"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["8.6"] }, Control { framework: "pci-dss", controls: &["7.2.1"] }, Control { framework: "soc2", controls: &["CC6.3"] }, Control { framework: "iso27001", controls: &["A.8.2"] }, Control { framework: "nist-800-53", controls: &["AC-6"] }]),
    resource_types: &["azurerm_key_vault", "azure:keyvault/keyVault:KeyVault", "azure-native:keyvault:Vault"],
    remediation: "Set `rbac_authorization_enabled = true` (azurerm 3: `enable_rbac_authorization`; Pulumi `enableRbacAuthorization`, Azure Native `properties.enableRbacAuthorization: true`) and grant Key Vault data roles.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Key vaults in every spelling: the RBAC permission model must be on. Terraform and Pulumi `azure` read `rbac_authorization_enabled` or the older `enable_rbac_authorization` (default `false`), Azure Native `properties.enableRbacAuthorization` (unset: access policies). Azure Native keeps a vault's settings under its `properties` input (`properties.enablePurgeProtection`): the Key Vault resources are not flattened.",
        why: "Access policies give an identity all of a permission set on every key or secret of the vault, cannot be scoped to one secret, are invisible to role-assignment reviews and Privileged Identity Management, and let anyone with Contributor on the vault grant themselves data access. Azure RBAC roles such as Key Vault Secrets User are scoped, reviewable and separate management from data.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.keyvault.KeyVault("app", {
        // ...
        accessPolicies: [{ tenantId, objectId, secretPermissions: ["Get", "List", "Set"] }],
    });

Pulumi Azure Native (TypeScript):

    new keyvault.Vault("app", {
        properties: { tenantId, sku: { family: "A", name: "standard" }, accessPolicies: [/* ... */] },
    });

Terraform:

    resource "azurerm_key_vault" "app" {
      # ...
      enable_rbac_authorization = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.keyvault.KeyVault("app", {
        // ...
        enableRbacAuthorization: true,
    });

Pulumi Azure Native (TypeScript):

    new keyvault.Vault("app", {
        properties: { tenantId, sku: { family: "A", name: "standard" }, enableRbacAuthorization: true },
    });

Terraform:

    resource "azurerm_key_vault" "app" {
      # ...
      rbac_authorization_enabled = true
    }

    resource "azurerm_role_assignment" "app_secrets" {
      scope                = azurerm_key_vault.app.id
      role_definition_name = "Key Vault Secrets User"
      principal_id         = azurerm_user_assigned_identity.app.principal_id
    }"#,
        fix: "Create role assignments that match the access policies, then switch the permission model. No automatic fix: switching removes every access-policy grant at once.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 8.6 Enable Role Based Access Control for Azure Key Vault",
            "Microsoft Learn: Migrate to Azure role-based access control — https://learn.microsoft.com/azure/key-vault/general/rbac-migration",
            "NIST SP 800-53 Rev. 5: AC-6",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on("rbacAuthorizationEnabled|enableRbacAuthorization", false);

const NATIVE: Want = Want::on("properties.enableRbacAuthorization", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "key vault",
        "uses access policies instead of Azure RBAC",
    )
}
