//! AZURE-AKS-004: AKS clusters enforce network policies.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-AKS-004",
    name: "aks-network-policy",
    title: "AKS clusters enforce network policies",
    description: "Without a network policy engine, Kubernetes NetworkPolicy objects are ignored and every pod can reach every other pod.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["aks"],
    topics: &["network", "kubernetes"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20", "A.8.22"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_kubernetes_cluster", "azure:containerservice/kubernetesCluster:KubernetesCluster", "azure-native:containerservice:ManagedCluster"],
    remediation: r#"Set `network_profile { network_policy = "azure" }` (or `calico`, `cilium`; Pulumi and Azure Native `networkProfile.networkPolicy`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "AKS clusters in every spelling: a network policy engine must be configured in `network_profile[0].network_policy` (Pulumi and Azure Native `networkProfile.networkPolicy`): `azure`, `calico` or `cilium`. Unset is a violation.",
        why: "Network policies are how workloads are segmented inside the cluster; without an engine they are accepted by the API server and silently not enforced, so a compromised pod can reach databases, the metadata endpoint and every other service.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", { /* ... */ networkProfile: { networkPlugin: "azure" } });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", { /* ... */ networkProfile: { networkPlugin: "azure" } });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      network_profile {
        network_plugin = "azure"
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", { /* ... */ networkProfile: { networkPlugin: "azure", networkPolicy: "azure" } });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", { /* ... */ networkProfile: { networkPlugin: "azure", networkDataplane: "cilium", networkPolicy: "cilium" } });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      network_profile {
        network_plugin = "azure"
        network_policy = "azure"
      }
    }"#,
        fix: "Choose an engine; on older clusters enabling it may replace the cluster. No automatic fix.",
        references: &[
            "Microsoft Learn: Secure traffic between pods by using network policies in AKS — https://learn.microsoft.com/azure/aks/use-network-policies",
            "CIS Azure Kubernetes Service (AKS) Benchmark: 5.4 Network Policies",
            "NIST SP 800-53 Rev. 5: SC-7",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::present("networkProfile.networkPolicy");

const NATIVE: Want = Want::present("networkProfile.networkPolicy");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "AKS cluster",
        "has no network policy engine",
    )
}
