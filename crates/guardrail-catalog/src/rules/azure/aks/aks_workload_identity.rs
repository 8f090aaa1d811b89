//! AZURE-AKS-009: AKS clusters use workload identity.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-AKS-009",
    name: "aks-workload-identity",
    title: "AKS clusters use workload identity",
    description: "Workload identity gives pods Entra tokens through federation, instead of secrets or the node's identity.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["aks"],
    topics: &["identity", "kubernetes"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["8.2.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.5"] }, Control { framework: "nist-800-53", controls: &["IA-2", "IA-5"] }]),
    resource_types: &["azurerm_kubernetes_cluster", "azure:containerservice/kubernetesCluster:KubernetesCluster", "azure-native:containerservice:ManagedCluster"],
    remediation: "Set `workload_identity_enabled = true` (Pulumi `workloadIdentityEnabled`, Azure Native `securityProfile.workloadIdentity.enabled: true`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "AKS clusters in every spelling: Terraform and Pulumi `azure` read `workload_identity_enabled` (default `false`, needs `oidc_issuer_enabled`), Azure Native `securityProfile.workloadIdentity.enabled`. Advisory by default.",
        why: "Without it, pods reach Azure with client secrets in Kubernetes secrets or with the kubelet identity shared by every pod on the node.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", {
        // ...
        workloadIdentityEnabled: false,
    });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", {
        // ...
        securityProfile: { workloadIdentity: { enabled: false } },
    });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      workload_identity_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", {
        // ...
        workloadIdentityEnabled: true,
    });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", {
        // ...
        securityProfile: { workloadIdentity: { enabled: true } },
    });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      workload_identity_enabled = true
    }"#,
        fix: "Enable the OIDC issuer and workload identity, then federate the pods' service accounts. No automatic fix.",
        references: &[
            "Microsoft Learn: Use Microsoft Entra Workload ID with AKS — https://learn.microsoft.com/azure/aks/workload-identity-overview",
            "NIST SP 800-53 Rev. 5: IA-2, IA-5",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on("workloadIdentityEnabled", false);

const NATIVE: Want = Want::on("securityProfile.workloadIdentity.enabled", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "AKS cluster",
        "does not enable workload identity",
    )
}
