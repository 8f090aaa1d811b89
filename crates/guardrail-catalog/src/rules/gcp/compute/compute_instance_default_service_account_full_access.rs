//! GCP-COMPUTE-009: Instances do not run as the default service account with full API access.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-009",
    name: "compute-instance-default-service-account-full-access",
    title: "Instances do not run as the default service account with full API access",
    description: "The Compute Engine default service account holds Editor on the project; with the `cloud-platform` scope, any process on the instance can use all of it.",
    severity: Severity::High,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["compute"],
    topics: &["identity"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["4.2"] },
        Control { framework: "pci-dss", controls: &["7.2.2"] },
        Control { framework: "soc2", controls: &["CC6.3"] },
        Control { framework: "iso27001", controls: &["A.8.2"] },
        Control { framework: "nist-800-53", controls: &["AC-6"] },
    ]),
    resource_types: &["google_compute_instance", "gcp:compute/instance:Instance", "google_compute_instance_template", "gcp:compute/instanceTemplate:InstanceTemplate"],
    remediation: "Run the instance as a dedicated service account with only the roles it needs.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Compute Engine instances and instance templates (`google_compute_instance`, `google_compute_instance_template`, Pulumi `gcp:compute/instance:Instance`, `gcp:compute/instanceTemplate:InstanceTemplate`): a `service_account` block (Pulumi `serviceAccount`) whose `email` is unset, `default` or the `PROJECT_NUMBER-compute@developer.gserviceaccount.com` account must not list the scope `cloud-platform` (`https://www.googleapis.com/auth/cloud-platform`). Instances without a service account pass; values known only after apply are indeterminate.",
        why: "The default account is created with the project-wide Editor role. With full scopes a compromised web process or a server-side request forgery reaching the metadata server obtains a token that can change almost anything in the project.",
        noncompliant: r#"Terraform:

    resource "google_compute_instance" "web" {
      # ...
      service_account {
        scopes = ["cloud-platform"]
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_instance" "web" {
      # ...
      service_account {
        email  = google_service_account.web.email
        scopes = ["cloud-platform"]
      }
    }"#,
        fix: "Create a service account for the workload, grant it the roles it uses, and set `service_account { email = ... }`. Scopes then matter little, because the account's roles bound what the token can do.",
        references: &["Google Cloud: Service accounts for instances — https://cloud.google.com/compute/docs/access/service-accounts", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 4.2"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let noun = if view.resource.type_.contains("emplate") {
        "instance template"
    } else {
        "instance"
    };
    if support::read(view, "serviceAccount")?.is_none() {
        return Ok(Verdict::Pass);
    }
    if !is_default_account(support::gcp::service_account_email(
        view,
        "serviceAccount.email",
        "serviceAccount",
    )?) {
        return Ok(Verdict::Pass);
    }
    let full = support::string_list(view, "serviceAccount.scopes")?
        .iter()
        .any(|s| {
            matches!(
                s.trim(),
                "cloud-platform" | "https://www.googleapis.com/auth/cloud-platform"
            )
        });
    if !full {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} runs as the default service account with access to every Cloud API",
            support::who(view, noun)
        ))
        .at(support::at(view, "serviceAccount.scopes")),
    ))
}

/// Whether the email names the Compute Engine default service account (unset means it).
fn is_default_account(email: Option<&str>) -> bool {
    email.is_none_or(|e| {
        e.trim().ends_with("-compute@developer.gserviceaccount.com")
            || e.trim().eq_ignore_ascii_case("default")
    })
}
