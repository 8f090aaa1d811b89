//! AZURE-AKS-018: AKS clusters authorize Kubernetes access with Azure RBAC.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-AKS-018",
    name: "aks-azure-rbac-authorization",
    title: "AKS clusters authorize Kubernetes access with Azure RBAC",
    description: "With Azure RBAC for Kubernetes authorization, cluster access is granted and reviewed as Azure role assignments.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["aks"],
    topics: &["identity", "kubernetes"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["7.2.1"] }, Control { framework: "soc2", controls: &["CC6.3"] }, Control { framework: "iso27001", controls: &["A.8.2"] }, Control { framework: "nist-800-53", controls: &["AC-6"] }]),
    resource_types: &["azurerm_kubernetes_cluster", "azure:containerservice/kubernetesCluster:KubernetesCluster", "azure-native:containerservice:ManagedCluster"],
    remediation: "Set `azure_active_directory_role_based_access_control.azure_rbac_enabled = true` (Pulumi `azureActiveDirectoryRoleBasedAccessControl.azureRbacEnabled`, Azure Native `aadProfile.enableAzureRBAC: true`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "AKS clusters in every spelling: Terraform reads `azure_active_directory_role_based_access_control[0].azure_rbac_enabled`, Pulumi `azure` `azureActiveDirectoryRoleBasedAccessControl.azureRbacEnabled`, Azure Native `aadProfile.enableAzureRBAC`; all default to `false`. Advisory by default.",
        why: "Kubernetes role bindings are invisible to Azure access reviews and PIM; Azure RBAC puts cluster permissions where the rest of the organisation's access is managed.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", {
        // ...
        azureActiveDirectoryRoleBasedAccessControl: { azureRbacEnabled: false },
    });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", {
        // ...
        aadProfile: { enableAzureRBAC: false },
    });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      azure_active_directory_role_based_access_control {
        azure_rbac_enabled = false
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", {
        // ...
        azureActiveDirectoryRoleBasedAccessControl: { azureRbacEnabled: true },
    });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", {
        // ...
        aadProfile: { enableAzureRBAC: true },
    });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      azure_active_directory_role_based_access_control {
        azure_rbac_enabled = true
      }
    }"#,
        fix: "Enable Azure RBAC and grant the AKS RBAC roles. No automatic fix: existing role bindings must be mapped first.",
        references: &[
            "Microsoft Learn: Use Azure RBAC for Kubernetes authorization — https://learn.microsoft.com/azure/aks/manage-azure-rbac",
            "NIST SP 800-53 Rev. 5: AC-6",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on(
    "azureActiveDirectoryRoleBasedAccessControl.azureRbacEnabled",
    false,
);

const NATIVE: Want = Want::on("aadProfile.enableAzureRBAC", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "AKS cluster",
        "does not authorize Kubernetes access with Azure RBAC",
    )
}
