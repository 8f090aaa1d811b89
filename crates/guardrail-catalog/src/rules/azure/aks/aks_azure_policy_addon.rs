//! AZURE-AKS-005: AKS clusters run the Azure Policy add-on.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-AKS-005",
    name: "aks-azure-policy-addon",
    title: "AKS clusters run the Azure Policy add-on",
    description: "The Azure Policy add-on enforces and reports pod security and other guardrails inside the cluster.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["aks"],
    topics: &["kubernetes", "governance"],
    frameworks: Frameworks::Mapped(&[Control { framework: "soc2", controls: &["CC7.1"] }, Control { framework: "iso27001", controls: &["A.8.9"] }, Control { framework: "nist-800-53", controls: &["CM-7"] }]),
    resource_types: &["azurerm_kubernetes_cluster", "azure:containerservice/kubernetesCluster:KubernetesCluster", "azure-native:containerservice:ManagedCluster"],
    remediation: "Set `azure_policy_enabled = true` (Pulumi `azurePolicyEnabled`, Azure Native `addonProfiles.azurepolicy.enabled: true`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "AKS clusters in every spelling: Terraform and Pulumi `azure` read `azure_policy_enabled` (default `false`), Azure Native `addonProfiles.azurepolicy.enabled` (absent: off). Advisory by default.",
        why: "Without an admission controller, nothing stops a privileged pod or a hostPath mount from being deployed. The add-on (Gatekeeper managed by Azure) enforces the Kubernetes policies assigned through Azure Policy and reports compliance centrally.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", { /* ... */ });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", { /* ... */ addonProfiles: {} });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      azure_policy_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", { /* ... */ azurePolicyEnabled: true });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", { /* ... */ addonProfiles: { azurepolicy: { enabled: true } } });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      azure_policy_enabled = true
    }"#,
        fix: "Enable the add-on; guardrail's fix (safe) sets it. Assign policies (for example the pod security baseline initiative) in audit mode first.",
        references: &[
            "Microsoft Learn: Secure your AKS clusters with Azure Policy — https://learn.microsoft.com/azure/aks/use-azure-policy",
            "NIST SP 800-53 Rev. 5: CM-7",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want::on("azurePolicyEnabled", false);

const NATIVE: Want = Want::on("addonProfiles.azurepolicy.enabled", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "AKS cluster",
        "does not run the Azure Policy add-on",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    setting_fix(view, (BRIDGED, Lit::Bool(true)), (NATIVE, Lit::Bool(true)))
}
