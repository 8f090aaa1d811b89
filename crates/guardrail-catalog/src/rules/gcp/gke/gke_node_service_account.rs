//! GCP-GKE-020: GKE nodes do not run as the Compute Engine default service account.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-GKE-020",
    name: "gke-node-service-account",
    title: "GKE nodes do not run as the Compute Engine default service account",
    description: "Nodes run as the default service account unless told otherwise, and that account holds Editor on the project.",
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
    remediation: "Create a least-privilege node service account (`roles/container.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "GKE node pools (`google_container_node_pool`, Pulumi `gcp:container/nodePool:NodePool`) and the default node pool of GKE clusters (`google_container_cluster`, its `node_config`; clusters with `remove_default_node_pool = true` and Autopilot clusters are not applicable): `node_config.service_account` (Pulumi `nodeConfig.serviceAccount`) must name a service account other than `default` and `PROJECT_NUMBER-compute@developer.gserviceaccount.com`. Unset means the default account and is a violation; a value known only after apply passes when it comes from a `google_service_account` of the same input and is indeterminate otherwise.",
        why: "Anything that obtains the node's token (a pod with host access, a metadata server exposed to pods) gets Editor on the whole project. A dedicated node account needs only logging, monitoring and image pull permissions.",
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
        service_account = google_service_account.gke_nodes.email
      }
    }"#,
        fix: "Create a least-privilege node service account (`roles/container.defaultNodeServiceAccount`) and set `node_config { service_account = ... }`; the pool's nodes are recreated.",
        references: &["Google Cloud: Use least privilege IAM service accounts for nodes — https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#use_least_privilege_sa"],
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
    let account =
        support::gcp::service_account_email(view, "nodeConfig.serviceAccount", "nodeConfig")?;
    let default = account.is_none_or(|a| {
        a.eq_ignore_ascii_case("default") || a.ends_with("-compute@developer.gserviceaccount.com")
    });
    if !default {
        return Ok(Verdict::Pass);
    }
    let path = support::at(view, "nodeConfig.serviceAccount");
    let note = match account {
        Some(a) => format!(
            "`{path}` is `{}`",
            support::gcp::shown_at(view, "nodeConfig.serviceAccount", a)
        ),
        None => format!("`{path}` is not set"),
    };
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} runs its nodes as the Compute Engine default service account ({note})",
            support::who(view, noun)
        ))
        .at(path),
    ))
}
