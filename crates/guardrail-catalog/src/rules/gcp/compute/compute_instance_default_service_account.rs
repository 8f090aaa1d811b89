//! GCP-COMPUTE-010: Instances do not run as the Compute Engine default service account.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-010",
    name: "compute-instance-default-service-account",
    title: "Instances do not run as the Compute Engine default service account",
    description: "The default service account is shared by every instance that does not name another and holds the Editor role; workloads should each have their own account.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["compute"],
    topics: &["identity"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["4.1"] },
        Control { framework: "soc2", controls: &["CC6.3"] },
        Control { framework: "iso27001", controls: &["A.8.2"] },
        Control { framework: "nist-800-53", controls: &["AC-6"] },
    ]),
    resource_types: &["google_compute_instance", "gcp:compute/instance:Instance", "google_compute_instance_template", "gcp:compute/instanceTemplate:InstanceTemplate"],
    remediation: "Set `service_account { email = ... }` to a dedicated service account.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Compute Engine instances and instance templates (`google_compute_instance`, `google_compute_instance_template`, Pulumi `gcp:compute/instance:Instance`, `gcp:compute/instanceTemplate:InstanceTemplate`): a `service_account` block (Pulumi `serviceAccount`) must name an `email` other than `default` and the `PROJECT_NUMBER-compute@developer.gserviceaccount.com` account. Instances without a service account pass; an email known only after apply passes when it comes from a `google_service_account` of the same input (a new, dedicated account) and is indeterminate otherwise.",
        why: "One shared identity means one token opens everything any instance may touch, and audit logs cannot tell which workload acted. A dedicated account per workload gives least privilege and attributable logs.",
        noncompliant: r#"Terraform:

    resource "google_compute_instance" "web" {
      # ...
      service_account {
        scopes = ["logging-write"]
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
        fix: "Create a `google_service_account` for the workload, grant it what it needs, and name it in `service_account { email = ... }`.",
        references: &["Google Cloud: Service accounts for instances — https://cloud.google.com/compute/docs/access/service-accounts", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 4.1"],
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
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} runs as the Compute Engine default service account",
            support::who(view, noun)
        ))
        .at(support::at(view, "serviceAccount.email")),
    ))
}

/// Whether the email names the Compute Engine default service account (unset means it).
fn is_default_account(email: Option<&str>) -> bool {
    email.is_none_or(|e| {
        e.trim().ends_with("-compute@developer.gserviceaccount.com")
            || e.trim().eq_ignore_ascii_case("default")
    })
}
