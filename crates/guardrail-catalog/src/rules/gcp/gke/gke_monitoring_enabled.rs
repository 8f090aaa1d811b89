//! GCP-GKE-012: GKE clusters send metrics to Cloud Monitoring.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-GKE-012",
    name: "gke-monitoring-enabled",
    title: "GKE clusters send metrics to Cloud Monitoring",
    description: "System metrics are what alerting and incident response use to notice a cluster misbehaving.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["gke"],
    topics: &["kubernetes", "monitoring"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["CC7.2"] },
        Control { framework: "iso27001", controls: &["A.8.16"] },
        Control { framework: "nist-800-53", controls: &["SI-4"] },
    ]),
    resource_types: &["google_container_cluster", "gcp:container/cluster:Cluster"],
    remediation: "Leave `monitoring_service` unset or set it to the Kubernetes service of Cloud Monitoring.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "GKE clusters (`google_container_cluster`, Pulumi `gcp:container/cluster:Cluster`): `monitoring_service` (Pulumi `monitoringService`) must not be `none`. Unset means `monitoring.googleapis.com/kubernetes` and passes; a value known only after apply is indeterminate.",
        why: "Resource exhaustion, crypto-mining pods and failing nodes show first in metrics; without them nobody is alerted.",
        noncompliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      monitoring_service = "none"
    }"#,
        compliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      monitoring_service = "monitoring.googleapis.com/kubernetes"
    }"#,
        fix: "Remove `monitoring_service = \"none\"`.",
        references: &["Google Cloud: Observability for GKE — https://cloud.google.com/kubernetes-engine/docs/concepts/observability"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    match support::gcp::text_at(view, "monitoringService")? {
        Some(service) if service.eq_ignore_ascii_case("none") => Ok(Verdict::violation(
            Violation::new(format!(
                "{} sends no metrics to Cloud Monitoring (`monitoring_service` is `none`)",
                support::who(view, "GKE cluster")
            ))
            .at(support::at(view, "monitoringService")),
        )),
        _ => Ok(Verdict::Pass),
    }
}
