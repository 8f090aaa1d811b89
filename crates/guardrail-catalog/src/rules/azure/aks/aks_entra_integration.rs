//! AZURE-AKS-002: AKS clusters authenticate users with Microsoft Entra ID.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-AKS-002",
    name: "aks-entra-integration",
    title: "AKS clusters authenticate users with Microsoft Entra ID",
    description: "Without Entra integration, cluster access relies on client certificates that cannot be revoked per user.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["aks"],
    topics: &["identity", "kubernetes"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["8.2.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.5"] }, Control { framework: "nist-800-53", controls: &["IA-2"] }]),
    resource_types: &["azurerm_kubernetes_cluster", "azure:containerservice/kubernetesCluster:KubernetesCluster", "azure-native:containerservice:ManagedCluster"],
    remediation: "Add `azure_active_directory_role_based_access_control { azure_rbac_enabled = true }` (Pulumi `azureActiveDirectoryRoleBasedAccessControl`, Azure Native `aadProfile: { managed: true }`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "AKS clusters in every spelling: Entra ID integration must be configured. Terraform reads the `azure_active_directory_role_based_access_control` block, Pulumi `azure` `azureActiveDirectoryRoleBasedAccessControl`, Azure Native `aadProfile`. Unset is a violation.",
        why: "With Entra integration, `kubectl` users sign in with their directory identity (MFA, conditional access, group-based roles) and lose access when they leave. Without it, access is granted by certificates in kubeconfig files that stay valid until the cluster's certificates are rotated.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", { /* ... no Entra block */ });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", { /* ... no aadProfile */ });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ... no azure_active_directory_role_based_access_control
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", { /* ... */ azureActiveDirectoryRoleBasedAccessControl: { azureRbacEnabled: true, adminGroupObjectIds: [admins.objectId] } });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", { /* ... */ aadProfile: { managed: true, enableAzureRBAC: true, adminGroupObjectIDs: [admins.objectId] } });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      azure_active_directory_role_based_access_control {
        azure_rbac_enabled     = true
        admin_group_object_ids = [azuread_group.aks_admins.object_id]
      }
    }"#,
        fix: "Enable the AKS-managed Entra integration with an admin group. No automatic fix: the group must be chosen.",
        references: &[
            "Microsoft Learn: AKS-managed Microsoft Entra integration — https://learn.microsoft.com/azure/aks/enable-authentication-microsoft-entra-id",
            "Microsoft Learn: Best practices for cluster security and upgrades in Azure Kubernetes Service — https://learn.microsoft.com/azure/aks/operator-best-practices-cluster-security",
            "NIST SP 800-53 Rev. 5: IA-2",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::present("azureActiveDirectoryRoleBasedAccessControl");

const NATIVE: Want = Want::present("aadProfile");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "AKS cluster",
        "does not authenticate users with Microsoft Entra ID",
    )
}
