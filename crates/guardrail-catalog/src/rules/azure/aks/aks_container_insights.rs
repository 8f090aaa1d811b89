//! AZURE-AKS-006: AKS clusters send logs and metrics to Azure Monitor.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-AKS-006",
    name: "aks-container-insights",
    title: "AKS clusters send logs and metrics to Azure Monitor",
    description: "Without Container insights, node, pod and control-plane signals are lost when nodes are replaced.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["aks"],
    topics: &["logging", "kubernetes"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["10.2.1"] }, Control { framework: "soc2", controls: &["CC7.2"] }, Control { framework: "iso27001", controls: &["A.8.15"] }, Control { framework: "hipaa", controls: &["164.312(b)"] }, Control { framework: "nist-800-53", controls: &["AU-2", "AU-12"] }]),
    resource_types: &["azurerm_kubernetes_cluster", "azure:containerservice/kubernetesCluster:KubernetesCluster", "azure-native:containerservice:ManagedCluster"],
    remediation: "Add `oms_agent { log_analytics_workspace_id = ... }` (Pulumi `omsAgent`, Azure Native `addonProfiles.omsagent`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "AKS clusters in every spelling: Terraform reads the `oms_agent` block, Pulumi `azure` `omsAgent`; Azure Native reads `addonProfiles.omsagent.enabled`. Unset is a violation. Advisory by default (other monitoring stacks meet the intent).",
        why: "Incident response on Kubernetes depends on container logs and events that disappear with the pod or node; shipping them to Log Analytics keeps the evidence and enables alerts.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", { /* ... no omsAgent */ });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", { /* ... */ addonProfiles: {} });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ... no oms_agent
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", { /* ... */ omsAgent: { logAnalyticsWorkspaceId: workspace.id } });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", { /* ... */ addonProfiles: { omsagent: { enabled: true, config: { logAnalyticsWorkspaceResourceID: workspace.id } } } });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      oms_agent {
        log_analytics_workspace_id = azurerm_log_analytics_workspace.ops.id
      }
    }"#,
        fix: "Enable Container insights with a Log Analytics workspace. No automatic fix: the workspace must be chosen.",
        references: &[
            "Microsoft Learn: Enable monitoring for Kubernetes clusters — https://learn.microsoft.com/azure/azure-monitor/containers/kubernetes-monitoring-enable",
            "NIST SP 800-53 Rev. 5: AU-2, AU-12",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::present("omsAgent");

const NATIVE: Want = Want::on("addonProfiles.omsagent.enabled", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "AKS cluster",
        "sends no logs or metrics to Azure Monitor",
    )
}
