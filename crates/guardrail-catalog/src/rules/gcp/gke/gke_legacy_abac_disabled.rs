//! GCP-GKE-003: GKE clusters do not use legacy ABAC.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-GKE-003",
    name: "gke-legacy-abac-disabled",
    title: "GKE clusters do not use legacy ABAC",
    description: "Legacy attribute-based access control grants broad static permissions outside Kubernetes RBAC and is deprecated.",
    severity: Severity::High,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["gke"],
    topics: &["kubernetes", "access-control"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.5.15"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "AC-6"] },
    ]),
    resource_types: &["google_container_cluster", "gcp:container/cluster:Cluster"],
    remediation: "Set `enable_legacy_abac = false` (Pulumi `enableLegacyAbac: false`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "GKE clusters (`google_container_cluster`, Pulumi `gcp:container/cluster:Cluster`): `enable_legacy_abac` (Pulumi `enableLegacyAbac`) must be false. Unset means false and passes; a value known only after apply is indeterminate.",
        why: "With ABAC on, policies grant wide rights that RBAC reviews do not show, and service accounts in every namespace may act cluster-wide. RBAC is the supported model.",
        noncompliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      enable_legacy_abac = true
    }"#,
        compliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      enable_legacy_abac = false
    }"#,
        fix: "Remove `enable_legacy_abac = true` after giving workloads the RBAC roles they need. No automatic fix: workloads relying on ABAC would lose access.",
        references: &["Google Cloud: Authorize actions in clusters using RBAC — https://cloud.google.com/kubernetes-engine/docs/how-to/role-based-access-control", "Google Cloud: Harden your cluster's security — https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster"],
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
        "enableLegacyAbac",
        false,
        false,
        "GKE cluster",
        "uses legacy ABAC authorization",
    )
}
