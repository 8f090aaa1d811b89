//! GCP-FUNCTIONS-001: Cloud Functions take credentials from Secret Manager, not plain environment variables.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-FUNCTIONS-001",
    name: "functions-no-plain-secrets-in-env",
    title: "Cloud Functions take credentials from Secret Manager, not plain environment variables",
    description: "A password or token written into a function's environment variables is stored in its configuration, readable by anyone who can view the function.",
    severity: Severity::High,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["functions"],
    topics: &["secrets"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["1.18"] },
        Control { framework: "pci-dss", controls: &["8.3.2"] },
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.5.17"] },
        Control { framework: "nist-800-53", controls: &["IA-5(7)", "SC-28"] },
    ]),
    resource_types: &["google_cloudfunctions_function", "gcp:cloudfunctions/function:Function", "google_cloudfunctions2_function", "gcp:cloudfunctions2/function:Function"],
    remediation: "Use `secret_environment_variables` (Secret Manager) instead of `environment_variables` for credentials.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud Functions (`google_cloudfunctions_function` and its `environment_variables`, `google_cloudfunctions2_function` and its `service_config.environment_variables`, Pulumi `gcp:cloudfunctions/function:Function`, `gcp:cloudfunctions2/function:Function`): no variable whose name contains PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, ACCESS_KEY or CREDENTIAL may have a non-empty value. Each is one violation, naming the variable; values known only after apply are indeterminate.",
        why: "Environment variables are shown in the console and API to every viewer of the function, copied into Terraform state and plan output, and logged by careless code. CIS asks that secrets never be stored there.",
        noncompliant: r#"Terraform:

    resource "google_cloudfunctions2_function" "resize" {
      # ...
      service_config {
        environment_variables = {
          STRIPE_API_KEY = "sk_live_..."
        }
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_cloudfunctions2_function" "resize" {
      # ...
      service_config {
        secret_environment_variables {
          key        = "STRIPE_API_KEY"
          project_id = "acme-prod"
          secret     = google_secret_manager_secret.stripe.secret_id
          version    = "latest"
        }
      }
    }"#,
        fix: "Move the value to Secret Manager, reference it with `secret_environment_variables`, grant the function's account `roles/secretmanager.secretAccessor`, and rotate the exposed value.",
        references: &["Google Cloud: Configure secrets for Cloud Run functions — https://cloud.google.com/functions/docs/configuring/secrets", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 1.18"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let camel = if support::canonical(&view) == "google_cloudfunctions2_function" {
        "serviceConfig.environmentVariables"
    } else {
        "environmentVariables"
    };
    let violations = support::gcp::secret_env_in_map(view, camel)?
        .into_iter()
        .map(|(path, name)| {
            Violation::new(format!(
                "{} sets the credential `{name}` as a plain environment variable",
                support::who(view, "Cloud Function")
            ))
            .at(path)
        })
        .collect();
    Ok(Verdict::from_violations(violations))
}
