//! AZURE-AKS-003: AKS clusters disable local accounts.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-AKS-003",
    name: "aks-local-accounts-disabled",
    title: "AKS clusters disable local accounts",
    description: "The local cluster-admin account gives full, unaudited access through a static certificate, bypassing Entra ID.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["aks"],
    topics: &["identity", "kubernetes"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["8.2.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.5"] }, Control { framework: "nist-800-53", controls: &["IA-2", "AC-2"] }]),
    resource_types: &["azurerm_kubernetes_cluster", "azure:containerservice/kubernetesCluster:KubernetesCluster", "azure-native:containerservice:ManagedCluster"],
    remediation: "Set `local_account_disabled = true` (Pulumi `localAccountDisabled`, Azure Native `disableLocalAccounts: true`) on an Entra-integrated cluster.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "AKS clusters in every spelling: Terraform and Pulumi `azure` read `local_account_disabled` (default `false`), Azure Native `disableLocalAccounts` (default `false`). Advisory by default.",
        why: "`az aks get-credentials --admin` returns a cluster-admin certificate to anyone with the right Azure role; it carries no user identity and cannot be revoked individually. Disabling local accounts makes every access go through Entra ID.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", { /* ... */ });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", { /* ... */ disableLocalAccounts: false });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      local_account_disabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", { /* ... */ localAccountDisabled: true });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", { /* ... */ disableLocalAccounts: true });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      local_account_disabled = true
    }"#,
        fix: "Integrate with Entra ID first, then disable local accounts. No automatic fix: automation using the admin kubeconfig must move first.",
        references: &[
            "Microsoft Learn: Manage local accounts with AKS-managed Microsoft Entra integration — https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad",
            "NIST SP 800-53 Rev. 5: IA-2, AC-2",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on("localAccountDisabled", false);

const NATIVE: Want = Want::on("disableLocalAccounts", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "AKS cluster",
        "keeps its local admin account",
    )
}
