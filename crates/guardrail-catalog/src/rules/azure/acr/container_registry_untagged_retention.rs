//! AZURE-ACR-005: Container registries purge untagged manifests.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Pass, Unset, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-ACR-005",
    name: "container-registry-untagged-retention",
    title: "Container registries purge untagged manifests",
    description: "Untagged manifests pile up with every push; a retention policy deletes them after a set number of days.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["acr"],
    topics: &["hygiene"],
    frameworks: Frameworks::None {
        reason: "registry hygiene and cost, not a control of the benchmarks and frameworks the catalog maps to",
    },
    resource_types: &["azurerm_container_registry", "azure:containerservice/registry:Registry", "azure-native:containerregistry:Registry"],
    remediation: r#"Set `retention_policy_in_days` to 1 or more (Pulumi `retentionPolicyInDays`, Azure Native `policies.retentionPolicy.status: "enabled"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Premium container registries in every spelling: Terraform and Pulumi `azure` read `retention_policy_in_days` (azurerm 4), Azure Native `policies.retentionPolicy.status`. Unset is a violation. Advisory by default.",
        why: "Old untagged images keep vulnerable layers available to anyone who pulls by digest and grow storage costs without bound.",
        noncompliant: "The container registry without `retention_policy_in_days` (Pulumi `retentionPolicyInDays`, Azure Native `policies.retentionPolicy.status`) set.",
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.Registry("app", {
        // ...
        retentionPolicyInDays: 7,
    });

Pulumi Azure Native (TypeScript):

    new containerregistry.Registry("app", {
        // ...
        policies: { retentionPolicy: { status: "enabled" } },
    });

Terraform:

    resource "azurerm_container_registry" "app" {
      # ...
      retention_policy_in_days = 7
    }"#,
        fix: "Set a retention of 7 to 30 days. No automatic fix.",
        references: &[
            "Microsoft Learn: Set a retention policy for untagged manifests — https://learn.microsoft.com/azure/container-registry/container-registry-retention-policy",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want {
    path: "retentionPolicyInDays",
    pass: Pass::AtLeast(1),
    unset: Unset::Fails,
};

const NATIVE: Want = Want::one_of("policies.retentionPolicy.status", &["enabled"], "disabled");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "container registry",
        "keeps untagged manifests forever",
    )
}
