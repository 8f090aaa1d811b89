//! GCP-GKE-016: GKE node pools repair nodes automatically.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-GKE-016",
    name: "gke-node-auto-repair",
    title: "GKE node pools repair nodes automatically",
    description: "Auto-repair replaces nodes that fail health checks, keeping capacity and isolating broken nodes.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["gke"],
    topics: &["kubernetes", "resilience"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["A1.2"] },
        Control { framework: "nist-800-53", controls: &["SI-13"] },
    ]),
    resource_types: &["google_container_cluster", "gcp:container/cluster:Cluster", "google_container_node_pool", "gcp:container/nodePool:NodePool"],
    remediation: "Set `management { auto_repair = true }`.",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "GKE node pools (`google_container_node_pool`, Pulumi `gcp:container/nodePool:NodePool`) and the default node pool of GKE clusters (`google_container_cluster`, its `node_config`; clusters with `remove_default_node_pool = true` and Autopilot clusters are not applicable): `management.auto_repair` (Pulumi `management.autoRepair`) must not be false. Unset means true and passes; a value known only after apply is indeterminate. Under `remediate` guardrail sets it to true.",
        why: "Unhealthy nodes keep their pods in limbo and hide problems until capacity runs out; automatic repair drains and recreates them.",
        noncompliant: r#"Terraform:

    resource "google_container_node_pool" "general" {
      cluster = google_container_cluster.prod.id
      management {
        auto_repair = false
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_container_node_pool" "general" {
      cluster = google_container_cluster.prod.id
      management {
        auto_repair = true
      }
    }"#,
        fix: "Set `management { auto_repair = true }`. Under `remediate` guardrail sets it (a safe fix).",
        references: &["Google Cloud: Auto-repairing nodes — https://cloud.google.com/kubernetes-engine/docs/how-to/node-auto-repair"],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if let Some(verdict) = support::gcp::gke_nodes_not_applicable(view)? {
        return Ok(verdict);
    }
    let noun = support::gcp::gke_noun(view);
    support::gcp::bool_setting(
        view,
        "management.autoRepair",
        true,
        true,
        noun,
        "does not repair its nodes automatically",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if support::gcp::gke_nodes_not_applicable(view)?.is_some() {
        return Ok(None);
    }
    support::gcp::bool_fix(view, "management.autoRepair", true, true)
}
