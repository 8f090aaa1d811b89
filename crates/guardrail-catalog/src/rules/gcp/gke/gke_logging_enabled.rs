//! GCP-GKE-011: GKE clusters send logs to Cloud Logging.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-GKE-011",
    name: "gke-logging-enabled",
    title: "GKE clusters send logs to Cloud Logging",
    description: "Container, system and audit logs of the cluster are the record of what ran and who changed what.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["gke"],
    topics: &["kubernetes", "logging"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["10.2.1"] },
        Control { framework: "soc2", controls: &["CC7.2"] },
        Control { framework: "iso27001", controls: &["A.8.15"] },
        Control { framework: "nist-800-53", controls: &["AU-2", "AU-12"] },
        Control { framework: "hipaa", controls: &["164.312(b)"] },
    ]),
    resource_types: &["google_container_cluster", "gcp:container/cluster:Cluster"],
    remediation: "Leave `logging_service` unset or set it to the Kubernetes service of Cloud Logging.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "GKE clusters (`google_container_cluster`, Pulumi `gcp:container/cluster:Cluster`): `logging_service` (Pulumi `loggingService`) must not be `none`. Unset means `logging.googleapis.com/kubernetes` and passes; a value known only after apply is indeterminate.",
        why: "With logging off, a compromised pod, a crash loop or a rogue `kubectl exec` leaves no trace outside the nodes, which are replaced on every upgrade.",
        noncompliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      logging_service = "none"
    }"#,
        compliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      logging_service = "logging.googleapis.com/kubernetes"
    }"#,
        fix: "Remove `logging_service = \"none\"`; control volume and cost with `logging_config { enable_components = [...] }` and exclusion filters instead.",
        references: &["Google Cloud: About GKE logs — https://cloud.google.com/kubernetes-engine/docs/concepts/about-logs"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    match support::gcp::text_at(view, "loggingService")? {
        Some(service) if service.eq_ignore_ascii_case("none") => Ok(Verdict::violation(
            Violation::new(format!(
                "{} sends no logs to Cloud Logging (`logging_service` is `none`)",
                support::who(view, "GKE cluster")
            ))
            .at(support::at(view, "loggingService")),
        )),
        _ => Ok(Verdict::Pass),
    }
}
