//! GCP-COMPUTE-012: Instances do not turn OS Login off.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-012",
    name: "compute-instance-os-login-not-disabled",
    title: "Instances do not turn OS Login off",
    description: "OS Login ties SSH access to IAM identities and roles; an instance that sets `enable-oslogin` to false falls back to unmanaged metadata keys.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["compute"],
    topics: &["access-control"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["4.4"] },
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.8.5"] },
        Control { framework: "nist-800-53", controls: &["IA-2", "AC-2"] },
    ]),
    resource_types: &["google_compute_instance", "gcp:compute/instance:Instance", "google_compute_instance_template", "gcp:compute/instanceTemplate:InstanceTemplate"],
    remediation: "Set the metadata key `enable-oslogin` to `TRUE`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Compute Engine instances and instance templates (`google_compute_instance`, `google_compute_instance_template`, Pulumi `gcp:compute/instance:Instance`, `gcp:compute/instanceTemplate:InstanceTemplate`): the metadata key `enable-oslogin` must not be false. Unset inherits the project's setting (see GCP-COMPUTE-013) and passes; a value known only after apply is indeterminate.",
        why: "With OS Login, removing a person from a group removes their SSH access everywhere, and two-step verification can be required. An instance-level `enable-oslogin = FALSE` quietly opts one machine out of all that.",
        noncompliant: r#"Terraform:

    resource "google_compute_instance" "web" {
      # ...
      metadata = {
        enable-oslogin = "FALSE"
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_project_metadata_item" "oslogin" {
      key   = "enable-oslogin"
      value = "TRUE"
    }"#,
        fix: "Remove `enable-oslogin = \"FALSE\"` from the instance metadata and turn OS Login on for the project.",
        references: &["Google Cloud: About OS Login — https://cloud.google.com/compute/docs/oslogin", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 4.4"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let noun = match support::canonical(&view).as_ref() {
        "google_compute_instance_template" => "instance template",
        "google_compute_project_metadata" | "google_compute_project_metadata_item" => {
            "project metadata"
        }
        _ => "instance",
    };
    let value = if support::canonical(&view) == "google_compute_project_metadata_item" {
        if support::gcp::text_at(view, "key")? != Some("enable-oslogin") {
            return Ok(Verdict::not_applicable("another metadata key"));
        }
        support::gcp::text_at(view, "value")?
    } else {
        support::gcp::metadata(view, "enable-oslogin")?
    };
    let path = if support::canonical(&view) == "google_compute_project_metadata_item" {
        support::at(view, "value")
    } else {
        format!("{}[\"enable-oslogin\"]", support::at(view, "metadata"))
    };
    let note = match value {
        Some(value) if support::gcp::metadata_true(value) => return Ok(Verdict::Pass),
        Some(_) => "`enable-oslogin` is `false`",
        None if true => return Ok(Verdict::Pass),
        None => "`enable-oslogin` is not set",
    };
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} turns OS Login off ({note})",
            support::who(view, noun)
        ))
        .at(path),
    ))
}
