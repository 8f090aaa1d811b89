//! GCP-GKE-022: GKE nodes keep the legacy metadata endpoints disabled.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-GKE-022",
    name: "gke-node-legacy-metadata-endpoints",
    title: "GKE nodes keep the legacy metadata endpoints disabled",
    description: "The legacy metadata API (v0.1, v1beta1) answers without the `Metadata-Flavor` header, so request forgery from a pod reads node credentials.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["gke"],
    topics: &["kubernetes", "hardening"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "iso27001", controls: &["A.8.9"] },
        Control { framework: "nist-800-53", controls: &["CM-7", "AC-6"] },
    ]),
    resource_types: &["google_container_cluster", "gcp:container/cluster:Cluster", "google_container_node_pool", "gcp:container/nodePool:NodePool"],
    remediation: "Remove `disable-legacy-endpoints = \"false\"` from the node metadata; the pool's nodes are recreated.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "GKE node pools (`google_container_node_pool`, Pulumi `gcp:container/nodePool:NodePool`) and the default node pool of GKE clusters (`google_container_cluster`, its `node_config`; clusters with `remove_default_node_pool = true` and Autopilot clusters are not applicable): the node metadata key `disable-legacy-endpoints` in `node_config.metadata` (Pulumi `nodeConfig.metadata`) must not be false. Unset means true (the default since GKE 1.12) and passes; a value known only after apply is indeterminate.",
        why: "The header requirement is what stops a server-side request forgery from reading instance credentials; the legacy endpoints do without it.",
        noncompliant: r#"Terraform:

    resource "google_container_node_pool" "general" {
      cluster = google_container_cluster.prod.id
      node_config {
        metadata = {
          disable-legacy-endpoints = "false"
        }
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_container_node_pool" "general" {
      cluster = google_container_cluster.prod.id
      node_config {
        metadata = {
          disable-legacy-endpoints = "true"
        }
      }
    }"#,
        fix: "Remove `disable-legacy-endpoints = \"false\"` from the node metadata; the pool's nodes are recreated.",
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
    let Some(metadata) = support::read(view, "nodeConfig.metadata")? else {
        return Ok(Verdict::Pass);
    };
    let path = format!(
        "{}[\"disable-legacy-endpoints\"]",
        support::at(view, "nodeConfig.metadata")
    );
    let Some(value) = metadata.get("disable-legacy-endpoints") else {
        return Ok(Verdict::Pass);
    };
    if value.is_unknown() {
        return Err(Halt::unknown(path));
    }
    if value
        .as_str()
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("false"))
    {
        return Ok(Verdict::violation(
            Violation::new(format!(
                "{} serves the legacy metadata endpoints to its nodes' pods",
                support::who(view, noun)
            ))
            .at(path),
        ));
    }
    Ok(Verdict::Pass)
}
