//! GCP-GKE-008: GKE clusters do not enable Kubernetes alpha features.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-GKE-008",
    name: "gke-no-kubernetes-alpha",
    title: "GKE clusters do not enable Kubernetes alpha features",
    description: "Alpha clusters run unsupported features, cannot be upgraded and are deleted after 30 days.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["gke"],
    topics: &["kubernetes", "hardening"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "iso27001", controls: &["A.8.9"] },
        Control { framework: "nist-800-53", controls: &["CM-6", "SI-2"] },
    ]),
    resource_types: &["google_container_cluster", "gcp:container/cluster:Cluster"],
    remediation: "Set `enable_kubernetes_alpha = false` (Pulumi `enableKubernetesAlpha: false`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "GKE clusters (`google_container_cluster`, Pulumi `gcp:container/cluster:Cluster`): `enable_kubernetes_alpha` (Pulumi `enableKubernetesAlpha`) must be false. Unset means false and passes; a value known only after apply is indeterminate.",
        why: "Alpha features have no security guarantees and alpha clusters receive no automatic upgrades or SLA, so security patches do not reach them.",
        noncompliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      enable_kubernetes_alpha = true
    }"#,
        compliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      # enable_kubernetes_alpha left unset
    }"#,
        fix: "Remove `enable_kubernetes_alpha`; use alpha features only in throwaway test clusters, exempted with a reason.",
        references: &["Google Cloud: Alpha clusters — https://cloud.google.com/kubernetes-engine/docs/concepts/alpha-clusters", "Google Cloud: Harden your cluster's security — https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster"],
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
        "enableKubernetesAlpha",
        false,
        false,
        "GKE cluster",
        "enables Kubernetes alpha features",
    )
}
