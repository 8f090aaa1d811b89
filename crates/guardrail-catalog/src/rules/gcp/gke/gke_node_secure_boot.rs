//! GCP-GKE-018: GKE nodes use secure boot.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-GKE-018",
    name: "gke-node-secure-boot",
    title: "GKE nodes use secure boot",
    description: "Secure boot makes nodes refuse unsigned boot components, stopping rootkits that would hide below the container runtime.",
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
    remediation: "Add `shielded_instance_config { enable_secure_boot = true }` to `node_config`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "GKE node pools (`google_container_node_pool`, Pulumi `gcp:container/nodePool:NodePool`) and the default node pool of GKE clusters (`google_container_cluster`, its `node_config`; clusters with `remove_default_node_pool = true` and Autopilot clusters are not applicable): `node_config.shielded_instance_config.enable_secure_boot` (Pulumi `nodeConfig.shieldedInstanceConfig.enableSecureBoot`) must be true. Unset means false and is a violation; a value known only after apply is indeterminate.",
        why: "A node compromised at boot level controls every pod scheduled on it and survives container restarts; secure boot stops unsigned kernels and modules from loading.",
        noncompliant: r#"Terraform:

    resource "google_container_node_pool" "general" {
      cluster = google_container_cluster.prod.id
      node_config {
        machine_type = "e2-standard-4"
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_container_node_pool" "general" {
      cluster = google_container_cluster.prod.id
      node_config {
        shielded_instance_config {
          enable_secure_boot = true
        }
      }
    }"#,
        fix: "Add `shielded_instance_config { enable_secure_boot = true }` to `node_config`. Third-party unsigned kernel modules (some GPU drivers) must be signed first; the pool's nodes are recreated.",
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
        "nodeConfig.shieldedInstanceConfig.enableSecureBoot",
        true,
        false,
        noun,
        "does not use secure boot on its nodes",
    )
}
