//! AZURE-AKS-013: Production AKS clusters use the Standard tier.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-AKS-013",
    name: "aks-sku-tier-standard",
    title: "Production AKS clusters use the Standard tier",
    description: "The Free tier has no uptime SLA for the API server and lower control-plane limits.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["aks"],
    topics: &["resilience", "kubernetes"],
    frameworks: Frameworks::Mapped(&[Control { framework: "soc2", controls: &["A1.2"] }, Control { framework: "nist-800-53", controls: &["CP-10"] }]),
    resource_types: &["azurerm_kubernetes_cluster", "azure:containerservice/kubernetesCluster:KubernetesCluster", "azure-native:containerservice:ManagedCluster"],
    remediation: r#"Set `sku_tier = "Standard"` (Pulumi `skuTier`, Azure Native `sku.tier: "Standard"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "AKS clusters in every spelling: Terraform and Pulumi `azure` read `sku_tier` (default `Free`), Azure Native `sku.tier` (unset: `Free`). Advisory by default: dev clusters may stay on Free.",
        why: "On the Free tier the control plane has no financially backed availability, so an API-server outage stalls deployments and autoscaling without recourse.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", {
        // ...
        skuTier: "Free",
    });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", {
        // ...
        sku: { tier: "Free" },
    });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      sku_tier = "Free"
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", {
        // ...
        skuTier: "Standard",
    });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", {
        // ...
        sku: { tier: "Standard" },
    });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      sku_tier = "Standard"
    }"#,
        fix: "Use `Standard` for production clusters. No automatic fix: it is billed.",
        references: &[
            "Microsoft Learn: Free, Standard and Premium pricing tiers for AKS cluster management — https://learn.microsoft.com/azure/aks/free-standard-pricing-tiers",
            "NIST SP 800-53 Rev. 5: CP-10",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::one_of("skuTier", &["Standard", "Premium"], "Free");

const NATIVE: Want = Want::one_of("sku.tier", &["Standard", "Premium"], "Free");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "AKS cluster",
        "does not use the Standard tier",
    )
}
