//! GCP-COMPUTE-014: Instances and projects do not enable interactive serial console access.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-014",
    name: "compute-serial-port-disabled",
    title: "Instances and projects do not enable interactive serial console access",
    description: "The interactive serial console accepts logins from any address, outside firewall rules; it should stay off.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["compute"],
    topics: &["access-control"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["4.5"] },
        Control { framework: "soc2", controls: &["CC6.6"] },
        Control { framework: "iso27001", controls: &["A.8.20"] },
        Control { framework: "nist-800-53", controls: &["AC-17", "CM-7"] },
    ]),
    resource_types: &["google_compute_instance", "gcp:compute/instance:Instance", "google_compute_instance_template", "gcp:compute/instanceTemplate:InstanceTemplate", "google_compute_project_metadata", "gcp:compute/projectMetadata:ProjectMetadata", "google_compute_project_metadata_item", "gcp:compute/projectMetadataItem:ProjectMetadataItem"],
    remediation: "Set the metadata key `serial-port-enable` to `FALSE`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Compute Engine instances and instance templates (`google_compute_instance`, `google_compute_instance_template`, Pulumi `gcp:compute/instance:Instance`, `gcp:compute/instanceTemplate:InstanceTemplate`) and project metadata (`google_compute_project_metadata`, `google_compute_project_metadata_item`): the metadata key `serial-port-enable` must not be true. Unset means off and passes; a value known only after apply is indeterminate; project metadata items with other keys are not applicable.",
        why: "Serial console connections do not pass through VPC firewall rules and are not restricted by IP address. Anyone who obtains an SSH key with access to the instance can reach its console from anywhere.",
        noncompliant: r#"Terraform:

    resource "google_compute_instance" "web" {
      # ...
      metadata = {
        serial-port-enable = "TRUE"
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_instance" "web" {
      # ...
      metadata = {}
    }"#,
        fix: "Remove `serial-port-enable` or set it to `FALSE`; use serial port output logging for troubleshooting instead, and turn the console on briefly when it is needed.",
        references: &["Google Cloud: Interacting with the serial console — https://cloud.google.com/compute/docs/troubleshooting/troubleshooting-using-serial-console", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 4.5"],
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
        if support::gcp::text_at(view, "key")? != Some("serial-port-enable") {
            return Ok(Verdict::not_applicable("another metadata key"));
        }
        support::gcp::text_at(view, "value")?
    } else {
        support::gcp::metadata(view, "serial-port-enable")?
    };
    let path = if support::canonical(&view) == "google_compute_project_metadata_item" {
        support::at(view, "value")
    } else {
        format!("{}[\"serial-port-enable\"]", support::at(view, "metadata"))
    };
    let note = match value {
        Some(value) if !support::gcp::metadata_true(value) => return Ok(Verdict::Pass),
        Some(_) => "`serial-port-enable` is `true`",
        None if true => return Ok(Verdict::Pass),
        None => "`serial-port-enable` is not set",
    };
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} enables the interactive serial console ({note})",
            support::who(view, noun)
        ))
        .at(path),
    ))
}
