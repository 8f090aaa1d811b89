//! GCP-GKE-007: GKE clusters keep Shielded GKE Nodes on.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-GKE-007",
    name: "gke-shielded-nodes",
    title: "GKE clusters keep Shielded GKE Nodes on",
    description: "Shielded nodes prove their identity to the control plane, so a compromised pod cannot impersonate a node to obtain its credentials.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["gke"],
    topics: &["kubernetes", "integrity"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "iso27001", controls: &["A.8.7"] },
        Control { framework: "nist-800-53", controls: &["SI-7", "IA-3"] },
    ]),
    resource_types: &["google_container_cluster", "gcp:container/cluster:Cluster"],
    remediation: "Set `enable_shielded_nodes = true` (Pulumi `enableShieldedNodes: true`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "GKE clusters (`google_container_cluster`, Pulumi `gcp:container/cluster:Cluster`): `enable_shielded_nodes` (Pulumi `enableShieldedNodes`) must not be false. Unset means true (the default since GKE 1.18) and passes; a value known only after apply is indeterminate. Under `remediate` guardrail sets it to true.",
        why: "Without node identity verification, an attacker who extracts a node's bootstrap credentials can register a rogue node and receive the secrets of the pods scheduled on it.",
        noncompliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      enable_shielded_nodes = false
    }"#,
        compliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      enable_shielded_nodes = true
    }"#,
        fix: "Remove `enable_shielded_nodes = false`. Nodes are recreated with shielded VMs during the next upgrade; the change is safe for workloads.",
        references: &["Google Cloud: Using Shielded GKE Nodes — https://cloud.google.com/kubernetes-engine/docs/how-to/shielded-gke-nodes", "Google Cloud: Harden your cluster's security — https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster"],
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
        "enableShieldedNodes",
        true,
        true,
        "GKE cluster",
        "turns Shielded GKE Nodes off",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    support::gcp::bool_fix(view, "enableShieldedNodes", true, true)
}
