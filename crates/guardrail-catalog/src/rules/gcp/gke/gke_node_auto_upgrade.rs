//! GCP-GKE-015: GKE node pools upgrade automatically.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-GKE-015",
    name: "gke-node-auto-upgrade",
    title: "GKE node pools upgrade automatically",
    description: "Auto-upgrade keeps node versions, and their security patches, in step with the control plane.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["gke"],
    topics: &["kubernetes", "patching"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["6.3.3"] },
        Control { framework: "iso27001", controls: &["A.8.8"] },
        Control { framework: "nist-800-53", controls: &["SI-2"] },
    ]),
    resource_types: &["google_container_cluster", "gcp:container/cluster:Cluster", "google_container_node_pool", "gcp:container/nodePool:NodePool"],
    remediation: "Set `management { auto_upgrade = true }` and control timing with the cluster's maintenance window.",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "GKE node pools (`google_container_node_pool`, Pulumi `gcp:container/nodePool:NodePool`) and the default node pool of GKE clusters (`google_container_cluster`, its `node_config`; clusters with `remove_default_node_pool = true` and Autopilot clusters are not applicable): `management.auto_upgrade` (Pulumi `management.autoUpgrade`) must not be false. Unset means true and passes; a value known only after apply is indeterminate. Under `remediate` guardrail sets it to true.",
        why: "Nodes run the kubelet, the container runtime and the kernel, where container escapes are fixed. Pools that never upgrade keep those vulnerabilities for as long as nobody remembers them.",
        noncompliant: r#"Terraform:

    resource "google_container_node_pool" "general" {
      cluster = google_container_cluster.prod.id
      management {
        auto_upgrade = false
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_container_node_pool" "general" {
      cluster = google_container_cluster.prod.id
      management {
        auto_repair  = true
        auto_upgrade = true
      }
    }"#,
        fix: "Set `management { auto_upgrade = true }` and control timing with the cluster's maintenance window. Under `remediate` guardrail sets it (a safe fix).",
        references: &["Google Cloud: Auto-upgrading nodes — https://cloud.google.com/kubernetes-engine/docs/how-to/node-auto-upgrades"],
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
        "management.autoUpgrade",
        true,
        true,
        noun,
        "does not upgrade its nodes automatically",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if support::gcp::gke_nodes_not_applicable(view)?.is_some() {
        return Ok(None);
    }
    support::gcp::bool_fix(view, "management.autoUpgrade", true, true)
}
