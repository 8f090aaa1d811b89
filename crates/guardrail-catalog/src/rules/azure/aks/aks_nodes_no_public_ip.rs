//! AZURE-AKS-014: AKS node pools have no public IP addresses.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{is_native, items_of, join, read_in, setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-AKS-014",
    name: "aks-nodes-no-public-ip",
    title: "AKS node pools have no public IP addresses",
    description: "Nodes with their own public IPs expose kubelet, SSH and node ports directly to the internet.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["aks"],
    topics: &["network", "kubernetes", "public-access"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_kubernetes_cluster", "azure:containerservice/kubernetesCluster:KubernetesCluster", "azure-native:containerservice:ManagedCluster"],
    remediation: "Set `default_node_pool.node_public_ip_enabled = false` (Pulumi `defaultNodePool.nodePublicIpEnabled`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "AKS clusters in every spelling: Terraform and Pulumi `azure` read the default node pool's `default_node_pool[0].node_public_ip_enabled` (azurerm 3: `enable_node_public_ip`; Pulumi `defaultNodePool.nodePublicIpEnabled`), Azure Native every pool of `agentPoolProfiles` (`enableNodePublicIP`, one violation per pool with it when there are several); `true` is a violation, the default is `false`. Separate `azurerm_kubernetes_cluster_node_pool` resources are not covered yet.",
        why: "Each node becomes reachable from the internet, bypassing the load balancer and any firewall in front of the cluster.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", {
        // ...
        defaultNodePool: { nodePublicIpEnabled: true },
    });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", {
        // ...
        agentPoolProfiles: [{ name: "system", mode: "System", enableNodePublicIP: true }],
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

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", {
        // ...
        agentPoolProfiles: [{ name: "system", mode: "System", enableNodePublicIP: false }],
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

const NATIVE: Want = Want::off("agentPoolProfiles.enableNodePublicIP", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if is_native(view) {
        let pools = items_of(view, &["agentPoolProfiles"])?;
        if pools.len() > 1 {
            let spelling = view.resource.spelling;
            let mut violations = Vec::new();
            for (path, pool) in pools {
                let value = read_in(pool, spelling, &path, "enableNodePublicIP")?
                    .and_then(|v| v.as_bool())
                    .unwrap_or(false);
                if !value {
                    continue;
                }
                let name_path = format!("{path}.name");
                let name = match read_in(pool, spelling, &path, "name")? {
                    Some(v) => v
                        .clone()
                        .tainted_if(view.secret_at(&name_path))
                        .shown()
                        .to_string(),
                    None => path.clone(),
                };
                violations.push(
                    Violation::new(format!(
                        "AKS cluster `{}` gives a public IP address to node pool `{name}` (`{path}.enableNodePublicIP` is `{value}`)",
                        view.resource.name
                    ))
                    .at(join(spelling, &path, "enableNodePublicIP")),
                );
            }
            return Ok(Verdict::from_violations(violations));
        }
    }
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "AKS cluster",
        "gives its node pools public IP addresses",
    )
}
