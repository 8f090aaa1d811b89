//! AZURE-AKS-014: AKS system nodes have no public IP addresses.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-AKS-014",
    name: "aks-nodes-no-public-ip",
    title: "AKS system nodes have no public IP addresses",
    description: "Nodes with their own public IPs expose kubelet, SSH and node ports directly to the internet.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["aks"],
    topics: &["network", "kubernetes", "public-access"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_kubernetes_cluster", "azure:containerservice/kubernetesCluster:KubernetesCluster"],
    remediation: "Set `default_node_pool.node_public_ip_enabled = false` (Pulumi `defaultNodePool.nodePublicIpEnabled`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "AKS clusters in Terraform and Pulumi `azure`: `default_node_pool[0].node_public_ip_enabled` (azurerm 3: `enable_node_public_ip`) must not be `true`; the default is `false`. Azure Native lists pools in `agentPoolProfiles` and is not covered yet.",
        why: "Each node becomes reachable from the internet, bypassing the load balancer and any firewall in front of the cluster.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", {
        // ...
        defaultNodePool: { nodePublicIpEnabled: true },
    });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      default_node_pool {
        node_public_ip_enabled = true
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", {
        // ...
        defaultNodePool: { nodePublicIpEnabled: false },
    });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      default_node_pool {
        node_public_ip_enabled = false
      }
    }"#,
        fix: "Turn node public IPs off and reach nodes through the cluster's network. No automatic fix: it replaces the pool.",
        references: &[
            "Microsoft Learn: Use instance-level public IPs in AKS — https://learn.microsoft.com/azure/aks/use-node-public-ips",
            "NIST SP 800-53 Rev. 5: SC-7",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::off(
    "defaultNodePool.nodePublicIpEnabled|defaultNodePool.enableNodePublicIp",
    false,
);

const NATIVE: Want = Want::off("defaultNodePool.nodePublicIpEnabled", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "AKS cluster",
        "gives its default node pool public IP addresses",
    )
}
