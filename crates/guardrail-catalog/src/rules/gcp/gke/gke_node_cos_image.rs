//! GCP-GKE-017: GKE nodes run Container-Optimized OS.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-GKE-017",
    name: "gke-node-cos-image",
    title: "GKE nodes run Container-Optimized OS",
    description: "Container-Optimized OS is a minimal, read-only, automatically patched image built for running containers.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["gke"],
    topics: &["kubernetes", "hardening"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "iso27001", controls: &["A.8.9"] },
        Control { framework: "nist-800-53", controls: &["CM-7", "SI-2"] },
    ]),
    resource_types: &["google_container_cluster", "gcp:container/cluster:Cluster", "google_container_node_pool", "gcp:container/nodePool:NodePool"],
    remediation: "Set `image_type = \"COS_CONTAINERD\"`; keep Ubuntu or Windows pools only for workloads that need them, exempted with a reason.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "GKE node pools (`google_container_node_pool`, Pulumi `gcp:container/nodePool:NodePool`) and the default node pool of GKE clusters (`google_container_cluster`, its `node_config`; clusters with `remove_default_node_pool = true` and Autopilot clusters are not applicable): `node_config.image_type` (Pulumi `nodeConfig.imageType`) must be `COS_CONTAINERD` (or `COS`). Unset means `COS_CONTAINERD` and passes; Ubuntu and Windows images are violations; a value known only after apply is indeterminate.",
        why: "General-purpose images carry package managers, compilers and writable system partitions that an attacker who escapes a container can use. COS has a read-only root, verified boot and Google-managed patches.",
        noncompliant: r#"Terraform:

    resource "google_container_node_pool" "general" {
      cluster = google_container_cluster.prod.id
      node_config {
        image_type = "UBUNTU_CONTAINERD"
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_container_node_pool" "general" {
      cluster = google_container_cluster.prod.id
      node_config {
        image_type = "COS_CONTAINERD"
      }
    }"#,
        fix: "Set `image_type = \"COS_CONTAINERD\"`; keep Ubuntu or Windows pools only for workloads that need them, exempted with a reason.",
        references: &["Google Cloud: Node images — https://cloud.google.com/kubernetes-engine/docs/concepts/node-images"],
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
    support::gcp::one_of(
        view,
        "nodeConfig.imageType",
        &["COS_CONTAINERD", "COS"],
        "COS_CONTAINERD",
        noun,
        "does not run Container-Optimized OS",
    )
}
