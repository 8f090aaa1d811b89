//! AZURE-AKS-007: AKS clusters upgrade automatically.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-AKS-007",
    name: "aks-automatic-upgrades",
    title: "AKS clusters upgrade automatically",
    description: "Without an automatic upgrade channel, clusters fall behind on Kubernetes patch releases that fix vulnerabilities.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["aks"],
    topics: &["patching", "kubernetes"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["6.3.3"] }, Control { framework: "soc2", controls: &["CC7.1"] }, Control { framework: "iso27001", controls: &["A.8.8"] }, Control { framework: "nist-800-53", controls: &["SI-2"] }]),
    resource_types: &["azurerm_kubernetes_cluster", "azure:containerservice/kubernetesCluster:KubernetesCluster", "azure-native:containerservice:ManagedCluster"],
    remediation: r#"Set `automatic_upgrade_channel = "patch"` (azurerm 3: `automatic_channel_upgrade`; Azure Native `autoUpgradeProfile.upgradeChannel`) with a maintenance window."#,
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "AKS clusters in every spelling: an automatic upgrade channel other than `none` must be set. Terraform and Pulumi `azure` read `automatic_upgrade_channel` (azurerm 3: `automatic_channel_upgrade`), Azure Native `autoUpgradeProfile.upgradeChannel`; unset means `none`, a violation. Advisory by default.",
        why: "Kubernetes patch releases fix security issues in the API server and kubelet; clusters upgraded by hand drift out of support and keep known vulnerabilities for months.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", { /* ... */ });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", { /* ... */ autoUpgradeProfile: { upgradeChannel: "none" } });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      automatic_upgrade_channel = "none"
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", { /* ... */ automaticUpgradeChannel: "patch" });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", { /* ... */ autoUpgradeProfile: { upgradeChannel: "stable" } });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      automatic_upgrade_channel = "patch"
      maintenance_window_auto_upgrade {
        frequency   = "Weekly"
        interval    = 1
        day_of_week = "Sunday"
        duration    = 4
        start_time  = "02:00"
      }
    }"#,
        fix: "Choose a channel; guardrail's fix (safe) writes `patch`, the most conservative one. Add a planned maintenance window.",
        references: &[
            "Microsoft Learn: Automatically upgrade an AKS cluster — https://learn.microsoft.com/azure/aks/auto-upgrade-cluster",
            "NIST SP 800-53 Rev. 5: SI-2",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want::one_of(
    "automaticUpgradeChannel|automaticChannelUpgrade",
    &["patch", "stable", "rapid", "node-image"],
    "none",
);

const NATIVE: Want = Want::one_of(
    "autoUpgradeProfile.upgradeChannel",
    &["patch", "stable", "rapid", "node-image"],
    "none",
);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "AKS cluster",
        "does not upgrade automatically",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    setting_fix(
        view,
        (BRIDGED, Lit::Text("patch")),
        (NATIVE, Lit::Text("patch")),
    )
}
