//! GCP-GKE-006: GKE clusters use Workload Identity Federation.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-GKE-006",
    name: "gke-workload-identity",
    title: "GKE clusters use Workload Identity Federation",
    description: "Workload Identity gives each Kubernetes service account its own Google identity, instead of every pod sharing the node's service account.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["gke"],
    topics: &["kubernetes", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["CC6.3"] },
        Control { framework: "iso27001", controls: &["A.8.2"] },
        Control { framework: "nist-800-53", controls: &["AC-6", "IA-2"] },
    ]),
    resource_types: &["google_container_cluster", "gcp:container/cluster:Cluster"],
    remediation: "Set `workload_identity_config { workload_pool = \"PROJECT_ID.svc.id.goog\" }`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "GKE clusters (`google_container_cluster`, Pulumi `gcp:container/cluster:Cluster`): `workload_identity_config.workload_pool` (Pulumi `workloadIdentityConfig.workloadPool`) must be set, unless the cluster is Autopilot (always on). Unset is a violation; a value known only after apply is indeterminate.",
        why: "Without it, pods call Google APIs with the node's service account, so every pod on a node has the union of all workloads' permissions, and the metadata server hands out the node's token to any container.",
        noncompliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      # no workload_identity_config
    }"#,
        compliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      workload_identity_config {
        workload_pool = "acme-prod.svc.id.goog"
      }
    }"#,
        fix: "Add `workload_identity_config` with the project's pool, set node pools to `workload_metadata_config { mode = \"GKE_METADATA\" }`, and bind Kubernetes service accounts to Google service accounts.",
        references: &["Google Cloud: Use Workload Identity Federation for GKE — https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if support::flag(view, "enableAutopilot")? == Some(true) {
        return Ok(Verdict::Pass);
    }
    support::gcp::require_set(
        view,
        "workloadIdentityConfig.workloadPool",
        "GKE cluster",
        "does not use Workload Identity Federation",
    )
}
