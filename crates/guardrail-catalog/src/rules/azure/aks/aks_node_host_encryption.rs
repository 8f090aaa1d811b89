//! AZURE-AKS-011: AKS node pools encrypt at the host.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{is_native, items_of, join, read_in, setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-AKS-011",
    name: "aks-node-host-encryption",
    title: "AKS node pools encrypt at the host",
    description: "Host encryption also encrypts the nodes' temporary disks and caches.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["aks"],
    topics: &["encryption", "kubernetes"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["3.5.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "hipaa", controls: &["164.312(a)(2)(iv)"] }, Control { framework: "nist-800-53", controls: &["SC-28"] }]),
    resource_types: &["azurerm_kubernetes_cluster", "azure:containerservice/kubernetesCluster:KubernetesCluster", "azure-native:containerservice:ManagedCluster"],
    remediation: "Set `default_node_pool.host_encryption_enabled = true` (Pulumi `defaultNodePool.hostEncryptionEnabled`, Azure Native `agentPoolProfiles.enableEncryptionAtHost: true`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "AKS clusters in every spelling: Terraform and Pulumi `azure` read the default node pool's `default_node_pool[0].host_encryption_enabled` (azurerm 3: `enable_host_encryption`; Pulumi `defaultNodePool.hostEncryptionEnabled`), Azure Native every pool of `agentPoolProfiles` (`enableEncryptionAtHost`, one violation per pool without it when there are several); the default is `false`. Separate `azurerm_kubernetes_cluster_node_pool` resources are not covered yet. Advisory by default.",
        why: "Temporary disks and caches of the nodes hold pod data outside the encrypted managed disks.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", {
        // ...
        defaultNodePool: { hostEncryptionEnabled: false },
    });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", {
        // ...
        agentPoolProfiles: [{ name: "system", mode: "System", enableEncryptionAtHost: false }],
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

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", {
        // ...
        agentPoolProfiles: [{ name: "system", mode: "System", enableEncryptionAtHost: true }],
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

const NATIVE: Want = Want::on("agentPoolProfiles.enableEncryptionAtHost", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if is_native(view) {
        let pools = items_of(view, &["agentPoolProfiles"])?;
        if pools.len() > 1 {
            let spelling = view.resource.spelling;
            let mut violations = Vec::new();
            for (path, pool) in pools {
                let value = read_in(pool, spelling, &path, "enableEncryptionAtHost")?
                    .and_then(|v| v.as_bool())
                    .unwrap_or(false);
                if value {
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
                        "AKS cluster `{}` does not encrypt at the host node pool `{name}` (`{path}.enableEncryptionAtHost` is `{value}`)",
                        view.resource.name
                    ))
                    .at(join(spelling, &path, "enableEncryptionAtHost")),
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
        "does not encrypt its node pools at the host",
    )
}
