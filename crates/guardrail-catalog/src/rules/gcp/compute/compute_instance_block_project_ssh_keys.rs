//! GCP-COMPUTE-011: Instances block project-wide SSH keys.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-011",
    name: "compute-instance-block-project-ssh-keys",
    title: "Instances block project-wide SSH keys",
    description: "Project-wide SSH keys open every instance of the project to whoever holds one; blocking them limits SSH to keys set on the instance or to OS Login.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["compute"],
    topics: &["access-control"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["4.3"] },
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.5.15"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "IA-2"] },
    ]),
    resource_types: &["google_compute_instance", "gcp:compute/instance:Instance", "google_compute_instance_template", "gcp:compute/instanceTemplate:InstanceTemplate"],
    remediation: "Set the metadata key `block-project-ssh-keys` to `TRUE`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Compute Engine instances and instance templates (`google_compute_instance`, `google_compute_instance_template`, Pulumi `gcp:compute/instance:Instance`, `gcp:compute/instanceTemplate:InstanceTemplate`): the metadata key `block-project-ssh-keys` must be true (`TRUE`, `true`, `1`, `yes`). Unset means project keys are accepted and is a violation; a value known only after apply is indeterminate.",
        why: "A key added to project metadata for one machine works on all of them, and is rarely removed when its owner leaves. Blocking project keys confines each key to the instances it was meant for; OS Login, tied to IAM, is better still.",
        noncompliant: r#"Terraform:

    resource "google_compute_instance" "web" {
      # ...
      metadata = {}
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_instance" "web" {
      # ...
      metadata = {
        block-project-ssh-keys = "TRUE"
      }
    }"#,
        fix: "Add `block-project-ssh-keys = \"TRUE\"` to `metadata`, or enable OS Login. No automatic fix: people who log in with project keys lose access.",
        references: &["Google Cloud: Managing SSH keys in metadata — https://cloud.google.com/compute/docs/connect/add-ssh-keys", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 4.3"],
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
        if support::gcp::text_at(view, "key")? != Some("block-project-ssh-keys") {
            return Ok(Verdict::not_applicable("another metadata key"));
        }
        support::gcp::text_at(view, "value")?
    } else {
        support::gcp::metadata(view, "block-project-ssh-keys")?
    };
    let path = if support::canonical(&view) == "google_compute_project_metadata_item" {
        support::at(view, "value")
    } else {
        format!(
            "{}[\"block-project-ssh-keys\"]",
            support::at(view, "metadata")
        )
    };
    let note = match value {
        Some(value) if support::gcp::metadata_true(value) => return Ok(Verdict::Pass),
        Some(_) => "`block-project-ssh-keys` is `false`",
        None if false => return Ok(Verdict::Pass),
        None => "`block-project-ssh-keys` is not set",
    };
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} accepts project-wide SSH keys ({note})",
            support::who(view, noun)
        ))
        .at(path),
    ))
}
