//! GCP-FUNCTIONS-005: Cloud Functions run as a dedicated service account.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-FUNCTIONS-005",
    name: "functions-dedicated-service-account",
    title: "Cloud Functions run as a dedicated service account",
    description: "A function without a service account runs as a default account with broad project roles; each function should have its own.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["functions"],
    topics: &["identity"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["CC6.3"] },
        Control { framework: "iso27001", controls: &["A.8.2"] },
        Control { framework: "nist-800-53", controls: &["AC-6"] },
    ]),
    resource_types: &["google_cloudfunctions_function", "gcp:cloudfunctions/function:Function", "google_cloudfunctions2_function", "gcp:cloudfunctions2/function:Function"],
    remediation: "Set `service_account_email` (v1) or `service_config.service_account_email` (v2).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud Functions (`google_cloudfunctions_function` and its `service_account_email`, `google_cloudfunctions2_function` and its `service_config.service_account_email`, Pulumi `serviceAccountEmail`, `serviceConfig.serviceAccountEmail`): the email must be set to an account other than the App Engine default (`PROJECT@appspot.gserviceaccount.com`) and the Compute Engine default (`PROJECT_NUMBER-compute@developer.gserviceaccount.com`). Unset is a violation; an email known only after apply passes when it comes from a `google_service_account` of the same input and is indeterminate otherwise.",
        why: "The default accounts hold Editor on the project; an injection in one function then reaches every resource. A dedicated account limits it to what the function uses.",
        noncompliant: r#"Terraform:

    resource "google_cloudfunctions2_function" "resize" {
      name     = "resize"
      location = "europe-west1"
      # ...
    }"#,
        compliant: r#"Terraform:

    resource "google_cloudfunctions2_function" "resize" {
      name     = "resize"
      location = "europe-west1"
      service_config {
        service_account_email = google_service_account.resize.email
      }
      # ...
    }"#,
        fix: "Create a service account for the function, grant it the roles it needs, and set the email.",
        references: &["Google Cloud: Function identity — https://cloud.google.com/functions/docs/securing/function-identity"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let (camel, top) = if support::canonical(&view) == "google_cloudfunctions2_function" {
        ("serviceConfig.serviceAccountEmail", "serviceConfig")
    } else {
        ("serviceAccountEmail", "serviceAccountEmail")
    };
    let path = support::at(view, camel);
    let note = match support::gcp::service_account_email(view, camel, top)? {
        Some(email)
            if !email.ends_with("@appspot.gserviceaccount.com")
                && !email.ends_with("-compute@developer.gserviceaccount.com") =>
        {
            return Ok(Verdict::Pass)
        }
        Some(email) => format!(
            "`{path}` is `{}`",
            support::gcp::shown_at(view, camel, email)
        ),
        None => format!("`{path}` is not set"),
    };
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} runs as a default service account ({note})",
            support::who(view, "Cloud Function")
        ))
        .at(path),
    ))
}
