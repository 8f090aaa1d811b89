//! AZURE-AKS-011: AKS system node pools encrypt at the host.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-AKS-011",
    name: "aks-node-host-encryption",
    title: "AKS system node pools encrypt at the host",
    description: "Host encryption also encrypts the nodes' temporary disks and caches.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["aks"],
    topics: &["encryption", "kubernetes"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["3.5.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "hipaa", controls: &["164.312(a)(2)(iv)"] }, Control { framework: "nist-800-53", controls: &["SC-28"] }]),
    resource_types: &["azurerm_kubernetes_cluster", "azure:containerservice/kubernetesCluster:KubernetesCluster"],
    remediation: "Set `default_node_pool.host_encryption_enabled = true` (Pulumi `defaultNodePool.hostEncryptionEnabled`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "AKS clusters in Terraform and Pulumi `azure`: `default_node_pool[0].host_encryption_enabled` (azurerm 3: `enable_host_encryption`; Pulumi `defaultNodePool.hostEncryptionEnabled`) must be `true`; the default is `false`. Azure Native lists node pools in `agentPoolProfiles` and is not covered by this rule yet. Advisory by default.",
        why: "Temporary disks and caches of the nodes hold pod data outside the encrypted managed disks.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", {
        // ...
        defaultNodePool: { hostEncryptionEnabled: false },
    });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      default_node_pool {
        host_encryption_enabled = false
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", {
        // ...
        defaultNodePool: { hostEncryptionEnabled: true },
    });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      default_node_pool {
        host_encryption_enabled = true
      }
    }"#,
        fix: "Register the EncryptionAtHost feature and enable it on the node pool. No automatic fix: it replaces the pool.",
        references: &[
            "Microsoft Learn: Host-based encryption on AKS — https://learn.microsoft.com/azure/aks/enable-host-encryption",
            "NIST SP 800-53 Rev. 5: SC-28",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on(
    "defaultNodePool.hostEncryptionEnabled|defaultNodePool.enableHostEncryption",
    false,
);

const NATIVE: Want = Want::on("defaultNodePool.hostEncryptionEnabled", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "AKS cluster",
        "does not encrypt its default node pool at the host",
    )
}
