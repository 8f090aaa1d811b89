//! GCP-GKE-021: GKE nodes keep integrity monitoring on.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-GKE-021",
    name: "gke-node-integrity-monitoring",
    title: "GKE nodes keep integrity monitoring on",
    description: "Integrity monitoring compares each node's measured boot with a baseline and reports a tampered boot.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["gke"],
    topics: &["kubernetes", "integrity"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "iso27001", controls: &["A.8.7"] },
        Control { framework: "nist-800-53", controls: &["SI-7"] },
    ]),
    resource_types: &["google_container_cluster", "gcp:container/cluster:Cluster", "google_container_node_pool", "gcp:container/nodePool:NodePool"],
    remediation: "Remove `enable_integrity_monitoring = false`; the pool's nodes are recreated.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "GKE node pools (`google_container_node_pool`, Pulumi `gcp:container/nodePool:NodePool`) and the default node pool of GKE clusters (`google_container_cluster`, its `node_config`; clusters with `remove_default_node_pool = true` and Autopilot clusters are not applicable): `node_config.shielded_instance_config.enable_integrity_monitoring` (Pulumi `nodeConfig.shieldedInstanceConfig.enableIntegrityMonitoring`) must not be false. Unset means true and passes; a value known only after apply is indeterminate.",
        why: "A node whose boot was tampered with runs every pod scheduled on it; integrity monitoring is how anyone finds out.",
        noncompliant: r#"Terraform:

    resource "google_container_node_pool" "general" {
      cluster = google_container_cluster.prod.id
      node_config {
        shielded_instance_config {
          enable_integrity_monitoring = false
        }
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_container_node_pool" "general" {
      cluster = google_container_cluster.prod.id
      node_config {
        shielded_instance_config {
          enable_secure_boot          = true
          enable_integrity_monitoring = true
        }
      }
    }"#,
        fix: "Remove `enable_integrity_monitoring = false`; the pool's nodes are recreated.",
        references: &["Google Cloud: Using Shielded GKE Nodes — https://cloud.google.com/kubernetes-engine/docs/how-to/shielded-gke-nodes"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
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
        "nodeConfig.shieldedInstanceConfig.enableIntegrityMonitoring",
        true,
        true,
        noun,
        "turns integrity monitoring off on its nodes",
    )
}
