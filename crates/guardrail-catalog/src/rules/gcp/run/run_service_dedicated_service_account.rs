//! GCP-RUN-003: Cloud Run services run as a dedicated service account.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-RUN-003",
    name: "run-service-dedicated-service-account",
    title: "Cloud Run services run as a dedicated service account",
    description: "Without a service account a revision runs as the Compute Engine default service account, which holds Editor on the project.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["run"],
    topics: &["identity"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["CC6.3"] },
        Control { framework: "iso27001", controls: &["A.8.2"] },
        Control { framework: "nist-800-53", controls: &["AC-6"] },
    ]),
    resource_types: &["google_cloud_run_v2_service", "gcp:cloudrunv2/service:Service"],
    remediation: "Set `template { service_account = ... }` to a least-privilege service account.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud Run services (`google_cloud_run_v2_service`, Pulumi `gcp:cloudrunv2/service:Service`): `template.service_account` (Pulumi `template.serviceAccount`) must name an account other than `PROJECT_NUMBER-compute@developer.gserviceaccount.com`. Unset means the default account and is a violation; a value known only after apply passes when it comes from a `google_service_account` of the same input and is indeterminate otherwise.",
        why: "A code injection in a service running as the default account can change or delete almost anything in the project. A dedicated account limits it to what the service needs.",
        noncompliant: r#"Terraform:

    resource "google_cloud_run_v2_service" "api" {
      # ...
      template {
        containers { image = "europe-docker.pkg.dev/acme/apps/orders:1.4.2" }
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_cloud_run_v2_service" "api" {
      # ...
      template {
        service_account = google_service_account.orders_api.email
        containers { image = "europe-docker.pkg.dev/acme/apps/orders:1.4.2" }
      }
    }"#,
        fix: "Create a service account for the service, grant it the roles it uses, and set `template.service_account`.",
        references: &["Google Cloud: Service identity for Cloud Run — https://cloud.google.com/run/docs/securing/service-identity"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let path = support::at(view, "template.serviceAccount");
    let note =
        match support::gcp::service_account_email(view, "template.serviceAccount", "template")? {
            Some(a) if !a.ends_with("-compute@developer.gserviceaccount.com") => {
                return Ok(Verdict::Pass)
            }
            Some(a) => format!(
                "`{path}` is `{}`",
                support::gcp::shown_at(view, "template.serviceAccount", a)
            ),
            None => format!("`{path}` is not set"),
        };
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} runs as the Compute Engine default service account ({note})",
            support::who(view, "Cloud Run service")
        ))
        .at(path),
    ))
}
