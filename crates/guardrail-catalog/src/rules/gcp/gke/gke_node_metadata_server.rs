//! GCP-GKE-019: GKE nodes hide the Compute Engine metadata server from pods.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-GKE-019",
    name: "gke-node-metadata-server",
    title: "GKE nodes hide the Compute Engine metadata server from pods",
    description: "With the GKE metadata server, pods get only their own Workload Identity credentials, never the node's service account token.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["gke"],
    topics: &["kubernetes", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["CC6.3"] },
        Control { framework: "iso27001", controls: &["A.8.2"] },
        Control { framework: "nist-800-53", controls: &["AC-6"] },
    ]),
    resource_types: &["google_container_cluster", "gcp:container/cluster:Cluster", "google_container_node_pool", "gcp:container/nodePool:NodePool"],
    remediation: "Set `workload_metadata_config { mode = \"GKE_METADATA\" }` with Workload Identity on the cluster.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "GKE node pools (`google_container_node_pool`, Pulumi `gcp:container/nodePool:NodePool`) and the default node pool of GKE clusters (`google_container_cluster`, its `node_config`; clusters with `remove_default_node_pool = true` and Autopilot clusters are not applicable): `node_config.workload_metadata_config.mode` (Pulumi `nodeConfig.workloadMetadataConfig.mode`) must not be `GCE_METADATA` (or the older `EXPOSE`). Unset follows the cluster (GKE metadata when Workload Identity is on) and passes; a value known only after apply is indeterminate.",
        why: "The Compute Engine metadata server hands the node's token and the kubelet's bootstrap credentials to any process that asks; a server-side request forgery in one pod becomes node and cluster compromise.",
        noncompliant: r#"Terraform:

    resource "google_container_node_pool" "general" {
      cluster = google_container_cluster.prod.id
      node_config {
        workload_metadata_config {
          mode = "GCE_METADATA"
        }
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_container_node_pool" "general" {
      cluster = google_container_cluster.prod.id
      node_config {
        workload_metadata_config {
          mode = "GKE_METADATA"
        }
      }
    }"#,
        fix: "Set `workload_metadata_config { mode = \"GKE_METADATA\" }` with Workload Identity on the cluster.",
        references: &["Google Cloud: Protect cluster metadata — https://cloud.google.com/kubernetes-engine/docs/how-to/protecting-cluster-metadata"],
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
    match support::gcp::text_at(view, "nodeConfig.workloadMetadataConfig.mode")? {
        Some(mode)
            if mode.eq_ignore_ascii_case("GCE_METADATA") || mode.eq_ignore_ascii_case("EXPOSE") =>
        {
            let path = support::at(view, "nodeConfig.workloadMetadataConfig.mode");
            let shown =
                support::gcp::shown_at(view, "nodeConfig.workloadMetadataConfig.mode", mode);
            Ok(Verdict::violation(
                Violation::new(format!(
                    "{} lets pods reach the Compute Engine metadata server (`{path}` is `{shown}`)",
                    support::who(view, noun)
                ))
                .at(path),
            ))
        }
        _ => Ok(Verdict::Pass),
    }
}
