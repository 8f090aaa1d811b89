//! GCP-GKE-023: GKE clusters make traffic between pods on one node visible.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-GKE-023",
    name: "gke-intranode-visibility",
    title: "GKE clusters make traffic between pods on one node visible",
    description: "Intranode visibility routes pod-to-pod traffic on the same node through the VPC, where flow logs and firewall rules see it.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["gke"],
    topics: &["kubernetes", "logging"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["CC7.2"] },
        Control { framework: "nist-800-53", controls: &["AU-12", "SI-4"] },
    ]),
    resource_types: &["google_container_cluster", "gcp:container/cluster:Cluster"],
    remediation: "Set `enable_intranode_visibility = true` (Pulumi `enableIntranodeVisibility: true`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "GKE clusters (`google_container_cluster`, Pulumi `gcp:container/cluster:Cluster`): `enable_intranode_visibility` (Pulumi `enableIntranodeVisibility`) must be true. Unset means false and is a violation; a value known only after apply is indeterminate.",
        why: "Without it, traffic between pods that share a node never leaves the node and is invisible to flow logs, so lateral movement between co-located workloads leaves no network record.",
        noncompliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      # enable_intranode_visibility unset
    }"#,
        compliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      enable_intranode_visibility = true
    }"#,
        fix: "Set `enable_intranode_visibility = true`; nodes are updated in place with a short traffic interruption, so no automatic fix.",
        references: &["Google Cloud: Set up intranode visibility — https://cloud.google.com/kubernetes-engine/docs/how-to/intranode-visibility", "Google Cloud: Harden your cluster's security — https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    support::gcp::bool_setting(
        view,
        "enableIntranodeVisibility",
        true,
        false,
        "GKE cluster",
        "does not make pod-to-pod traffic on a node visible to VPC flow logs",
    )
}
