//! AZURE-AKS-017: AKS clusters disable run command.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-AKS-017",
    name: "aks-run-command-disabled",
    title: "AKS clusters disable run command",
    description: "Run command lets anyone with the Azure role execute kubectl in the cluster through the Azure API, around network restrictions.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["aks"],
    topics: &["identity", "kubernetes"],
    frameworks: Frameworks::Mapped(&[Control { framework: "nist-800-53", controls: &["AC-17"] }]),
    resource_types: &["azurerm_kubernetes_cluster", "azure:containerservice/kubernetesCluster:KubernetesCluster", "azure-native:containerservice:ManagedCluster"],
    remediation: "Set `run_command_enabled = false` (Pulumi `runCommandEnabled`, Azure Native `apiServerAccessProfile.disableRunCommand: true`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "AKS clusters in every spelling: Terraform and Pulumi `azure` read `run_command_enabled` (default `true`), Azure Native `apiServerAccessProfile.disableRunCommand` (default `false`). Advisory by default: private clusters often rely on it.",
        why: "Run command is a remote channel to the API server that bypasses authorized IP ranges and private networking; it should be off unless operators need it.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", {
        // ...
        runCommandEnabled: true,
    });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", {
        // ...
        apiServerAccessProfile: { disableRunCommand: false },
    });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      run_command_enabled = true
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", {
        // ...
        runCommandEnabled: false,
    });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", {
        // ...
        apiServerAccessProfile: { disableRunCommand: true },
    });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      run_command_enabled = false
    }"#,
        fix: "Turn it off where operators reach the API server otherwise. No automatic fix.",
        references: &[
            "Microsoft Learn: Access a private AKS cluster using command invoke — https://learn.microsoft.com/azure/aks/access-private-cluster",
            "NIST SP 800-53 Rev. 5: AC-17",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::off("runCommandEnabled", true);

const NATIVE: Want = Want::on("apiServerAccessProfile.disableRunCommand", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(view, BRIDGED, NATIVE, "AKS cluster", "allows run command")
}
