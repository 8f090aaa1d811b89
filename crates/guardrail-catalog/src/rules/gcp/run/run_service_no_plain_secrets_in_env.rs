//! GCP-RUN-004: Cloud Run services take credentials from Secret Manager, not plain environment values.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-RUN-004",
    name: "run-service-no-plain-secrets-in-env",
    title: "Cloud Run services take credentials from Secret Manager, not plain environment values",
    description: "A password or token written as a plain environment value is stored in the service's configuration, readable by anyone who can view the service.",
    severity: Severity::High,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["run"],
    topics: &["secrets"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["1.18"] },
        Control { framework: "pci-dss", controls: &["8.3.2"] },
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.5.17"] },
        Control { framework: "nist-800-53", controls: &["IA-5(7)", "SC-28"] },
    ]),
    resource_types: &["google_cloud_run_v2_service", "gcp:cloudrunv2/service:Service"],
    remediation: "Reference a Secret Manager secret with `value_source { secret_key_ref { ... } }` instead of `value`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud Run services (`google_cloud_run_v2_service`, Pulumi `gcp:cloudrunv2/service:Service`): no container environment variable (`template.containers[].env`, Pulumi `envs`) whose name contains PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, ACCESS_KEY or CREDENTIAL may have a non-empty plain `value`; such variables must use `value_source`. Each is one violation, naming the variable; values known only after apply are indeterminate.",
        why: "Plain values are visible in the console, in `gcloud run services describe`, in Terraform state and plan output, and to every role with `run.services.get`. Secret Manager references keep the value out of all of them, with access control and rotation.",
        noncompliant: r#"Terraform:

    template {
      containers {
        image = "europe-docker.pkg.dev/acme/apps/orders:1.4.2"
        env {
          name  = "DB_PASSWORD"
          value = "hunter2"
        }
      }
    }"#,
        compliant: r#"Terraform:

    template {
      containers {
        image = "europe-docker.pkg.dev/acme/apps/orders:1.4.2"
        env {
          name = "DB_PASSWORD"
          value_source {
            secret_key_ref {
              secret  = google_secret_manager_secret.db.secret_id
              version = "latest"
            }
          }
        }
      }
    }"#,
        fix: "Store the value in Secret Manager, grant the service's account `roles/secretmanager.secretAccessor` on it, and reference it with `value_source.secret_key_ref`. Then rotate the value, which has been exposed.",
        references: &["Google Cloud: Configure secrets for Cloud Run services — https://cloud.google.com/run/docs/configuring/services/secrets", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 1.18"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let spelling = view.resource.spelling;
    let mut violations = Vec::new();
    let base = support::at(view, "template.containers");
    let containers = match support::read(view, "template.containers")? {
        Some(list) => support::items_at(list, &base)?,
        None => Vec::new(),
    };
    for (path, container) in containers {
        let (envs, camel) = match container.field("envs") {
            Ok(Some(found)) => (Some(found), "envs"),
            Ok(None) => (
                container
                    .field("env")
                    .map_err(|_| Halt::unknown(support::join(spelling, &path, "env")))?,
                "env",
            ),
            Err(_) => return Err(Halt::unknown(support::join(spelling, &path, "envs"))),
        };
        let Some(envs) = envs else {
            continue;
        };
        for (env_path, env) in support::items_at(envs, &support::join(spelling, &path, camel))? {
            let name_path = support::join(spelling, &env_path, "name");
            let Some(name) = env
                .field("name")
                .map_err(|_| Halt::unknown(name_path.clone()))?
                .and_then(Value::as_str)
            else {
                continue;
            };
            if !support::gcp::looks_like_secret_name(name) {
                continue;
            }
            let value_path = support::join(spelling, &env_path, "value");
            let value = env
                .field("value")
                .map_err(|_| Halt::unknown(value_path.clone()))?;
            if value
                .and_then(Value::as_str)
                .is_some_and(|v| !v.trim().is_empty())
            {
                let shown = support::gcp::shown_at(view, &name_path, name);
                violations.push(
                    Violation::new(format!(
                        "{} sets the credential `{shown}` as a plain environment value",
                        support::who(view, "Cloud Run service")
                    ))
                    .at(value_path),
                );
            }
        }
    }
    Ok(Verdict::from_violations(violations))
}
