//! AZURE-AKS-015: AKS clusters remove unused images from nodes.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-AKS-015",
    name: "aks-image-cleaner",
    title: "AKS clusters remove unused images from nodes",
    description: "Image Cleaner removes unused, vulnerable images that stay cached on nodes.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["aks"],
    topics: &["hygiene", "kubernetes"],
    frameworks: Frameworks::Mapped(&[Control { framework: "nist-800-53", controls: &["CM-7"] }]),
    resource_types: &["azurerm_kubernetes_cluster", "azure:containerservice/kubernetesCluster:KubernetesCluster", "azure-native:containerservice:ManagedCluster"],
    remediation: "Set `image_cleaner_enabled = true` (Pulumi `imageCleanerEnabled`, Azure Native `securityProfile.imageCleaner.enabled: true`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "AKS clusters in every spelling: Terraform and Pulumi `azure` read `image_cleaner_enabled`, Azure Native `securityProfile.imageCleaner.enabled`; both default to `false`. Advisory by default.",
        why: "Stale images with known vulnerabilities stay on nodes and can be started by anyone able to create pods; the cleaner removes them.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", {
        // ...
        imageCleanerEnabled: false,
    });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", {
        // ...
        securityProfile: { imageCleaner: { enabled: false } },
    });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      image_cleaner_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", {
        // ...
        imageCleanerEnabled: true,
    });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", {
        // ...
        securityProfile: { imageCleaner: { enabled: true } },
    });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      image_cleaner_enabled = true
    }"#,
        fix: "Enable Image Cleaner with an interval. guardrail's fix (safe) turns it on.",
        references: &[
            "Microsoft Learn: Use Image Cleaner to clean up stale images on your AKS cluster — https://learn.microsoft.com/azure/aks/image-cleaner",
            "NIST SP 800-53 Rev. 5: CM-7",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want::on("imageCleanerEnabled", false);

const NATIVE: Want = Want::on("securityProfile.imageCleaner.enabled", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "AKS cluster",
        "keeps unused images on its nodes",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    setting_fix(view, (BRIDGED, Lit::Bool(true)), (NATIVE, Lit::Bool(true)))
}
