//! GCP-GKE-014: GKE clusters keep deletion protection.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-GKE-014",
    name: "gke-deletion-protection",
    title: "GKE clusters keep deletion protection",
    description: "Deletion protection stops a mistaken apply from destroying the cluster with every workload and persistent volume claim on it.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["gke"],
    topics: &["kubernetes", "resilience"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["A1.2"] },
        Control { framework: "nist-800-53", controls: &["CM-3"] },
    ]),
    resource_types: &["google_container_cluster", "gcp:container/cluster:Cluster"],
    remediation: "Leave `deletion_protection` unset or true.",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "GKE clusters (`google_container_cluster`, Pulumi `gcp:container/cluster:Cluster`): `deletion_protection` (Pulumi `deletionProtection`) must not be false. Unset means true and passes; a value known only after apply is indeterminate. Under `remediate` guardrail sets it to true.",
        why: "Renaming a cluster resource or changing an immutable argument replaces the cluster; without protection the old one, and every workload on it, is deleted in the same apply.",
        noncompliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      deletion_protection = false
    }"#,
        compliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      deletion_protection = true
    }"#,
        fix: "Remove `deletion_protection = false`; turn it off in a separate change when a cluster really must go. Under `remediate` guardrail sets it (a safe fix).",
        references: &["Google Cloud: Deleting a cluster — https://cloud.google.com/kubernetes-engine/docs/how-to/deleting-a-cluster"],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    support::gcp::bool_setting(
        view,
        "deletionProtection",
        true,
        true,
        "GKE cluster",
        "has no deletion protection",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    support::gcp::bool_fix(view, "deletionProtection", true, true)
}
