//! AZURE-AKS-016: AKS Key Vault secrets providers rotate mounted secrets.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{is_native, setting_verdict, standing, Standing, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-AKS-016",
    name: "aks-secrets-provider-rotation",
    title: "AKS Key Vault secrets providers rotate mounted secrets",
    description: "Without rotation, pods keep the secret versions they mounted at start, even after the secret is rotated in Key Vault.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["aks"],
    topics: &["secrets", "kubernetes"],
    frameworks: Frameworks::Mapped(&[Control { framework: "nist-800-53", controls: &["IA-5"] }]),
    resource_types: &["azurerm_kubernetes_cluster", "azure:containerservice/kubernetesCluster:KubernetesCluster", "azure-native:containerservice:ManagedCluster"],
    remediation: r#"Set `key_vault_secrets_provider.secret_rotation_enabled = true` (Pulumi `keyVaultSecretsProvider.secretRotationEnabled`, Azure Native `addonProfiles.azureKeyvaultSecretsProvider.config.enableSecretRotation: "true"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "AKS clusters that run the Key Vault secrets provider (Terraform `key_vault_secrets_provider` block, Pulumi `azure` `keyVaultSecretsProvider`, Azure Native `addonProfiles.azureKeyvaultSecretsProvider`): `secret_rotation_enabled` (Azure Native `config.enableSecretRotation`, a string) must be `true`. Clusters without the provider are not applicable. Advisory by default.",
        why: "A credential rotated in Key Vault after a leak is still served to the pods until they restart; rotation makes the provider fetch the new version.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", {
        // ...
        keyVaultSecretsProvider: { secretRotationEnabled: false },
    });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", {
        // ...
        addonProfiles: { azureKeyvaultSecretsProvider: { config: { enableSecretRotation: "false" } } },
    });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      key_vault_secrets_provider {
        secret_rotation_enabled = false
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", {
        // ...
        keyVaultSecretsProvider: { secretRotationEnabled: true },
    });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", {
        // ...
        addonProfiles: { azureKeyvaultSecretsProvider: { config: { enableSecretRotation: "true" } } },
    });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      key_vault_secrets_provider {
        secret_rotation_enabled = true
      }
    }"#,
        fix: "Enable rotation with a poll interval. No automatic fix.",
        references: &[
            "Microsoft Learn: Use the Azure Key Vault provider for Secrets Store CSI Driver in AKS (autorotation) — https://learn.microsoft.com/azure/aks/csi-secrets-store-configuration-options",
            "NIST SP 800-53 Rev. 5: IA-5",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on("keyVaultSecretsProvider.secretRotationEnabled", false);

const NATIVE: Want = Want::on(
    "addonProfiles.azureKeyvaultSecretsProvider.config.enableSecretRotation",
    false,
);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let provider = if is_native(view) {
        "addonProfiles.azureKeyvaultSecretsProvider"
    } else {
        "keyVaultSecretsProvider"
    };
    if standing(view, Want::present(provider))? != Standing::Good {
        return Ok(Verdict::not_applicable("no Key Vault secrets provider"));
    }
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "AKS cluster",
        "does not rotate the secrets it mounts",
    )
}
