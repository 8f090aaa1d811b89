//! AZURE-AKS-001: AKS clusters use Kubernetes RBAC.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-AKS-001",
    name: "aks-rbac-enabled",
    title: "AKS clusters use Kubernetes RBAC",
    description: "Without Kubernetes RBAC every authenticated user and service account can do anything in the cluster.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["aks"],
    topics: &["identity", "kubernetes"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["7.2.1"] }, Control { framework: "soc2", controls: &["CC6.3"] }, Control { framework: "iso27001", controls: &["A.8.2"] }, Control { framework: "nist-800-53", controls: &["AC-6"] }]),
    resource_types: &["azurerm_kubernetes_cluster", "azure:containerservice/kubernetesCluster:KubernetesCluster", "azure-native:containerservice:ManagedCluster"],
    remediation: "Leave `role_based_access_control_enabled` at its default `true` (Pulumi `roleBasedAccessControlEnabled`, Azure Native `enableRBAC`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "AKS clusters (`azurerm_kubernetes_cluster`, Pulumi `azure:containerservice/kubernetesCluster:KubernetesCluster`, Azure Native `azure-native:containerservice:ManagedCluster`): Kubernetes RBAC must be on. Terraform and Pulumi `azure` read `role_based_access_control_enabled`, Azure Native `enableRBAC`; both default to `true`, so only an explicit `false` is a violation.",
        why: "Without RBAC the API server authorizes every request: any pod's service account token becomes cluster-admin, so one compromised container owns the cluster.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", { /* ... */ roleBasedAccessControlEnabled: false });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", { /* ... */ enableRBAC: false });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      role_based_access_control_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", { /* ... */ roleBasedAccessControlEnabled: true });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", { /* ... */ enableRBAC: true });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      role_based_access_control_enabled = true
    }"#,
        fix: "Enable RBAC; on existing clusters this replaces the cluster. No automatic fix.",
        references: &[
            "Microsoft Learn: Access and identity options for AKS — https://learn.microsoft.com/azure/aks/concepts-identity",
            "Microsoft Learn: Best practices for cluster security and upgrades in Azure Kubernetes Service — https://learn.microsoft.com/azure/aks/operator-best-practices-cluster-security",
            "CIS Azure Kubernetes Service (AKS) Benchmark: 5.1 RBAC and Service Accounts",
            "NIST SP 800-53 Rev. 5: AC-6",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on("roleBasedAccessControlEnabled", true);

const NATIVE: Want = Want::on("enableRBAC", true);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "AKS cluster",
        "does not use Kubernetes RBAC",
    )
}
