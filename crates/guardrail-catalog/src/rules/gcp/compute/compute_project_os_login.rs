//! GCP-COMPUTE-013: Projects turn OS Login on.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-013",
    name: "compute-project-os-login",
    title: "Projects turn OS Login on",
    description: "OS Login set in project metadata applies to every instance of the project that does not override it.",
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
    resource_types: &["google_compute_project_metadata", "gcp:compute/projectMetadata:ProjectMetadata", "google_compute_project_metadata_item", "gcp:compute/projectMetadataItem:ProjectMetadataItem"],
    remediation: "Set the project metadata key `enable-oslogin` to `TRUE`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Project metadata (`google_compute_project_metadata`, Pulumi `gcp:compute/projectMetadata:ProjectMetadata`) must set `enable-oslogin` to true; a project metadata item (`google_compute_project_metadata_item`) with key `enable-oslogin` must have a true value (items with other keys are not applicable). Values known only after apply are indeterminate.",
        why: "Project metadata is where OS Login is meant to be turned on once for all instances; a project metadata resource that manages the whole map without it leaves every instance on unmanaged SSH keys.",
        noncompliant: r#"Terraform:

    resource "google_compute_project_metadata" "default" {
      metadata = {
        enable-oslogin = "FALSE"
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_project_metadata" "default" {
      metadata = {
        enable-oslogin = "TRUE"
      }
    }"#,
        fix: "Add `enable-oslogin = \"TRUE\"` to the project metadata and grant `roles/compute.osLogin` or `roles/compute.osAdminLogin` to the people who need SSH.",
        references: &["Google Cloud: Set up OS Login — https://cloud.google.com/compute/docs/oslogin/set-up-oslogin", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 4.4"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let item = support::canonical(&view) == "google_compute_project_metadata_item";
    let value = if item {
        if support::gcp::text_at(view, "key")? != Some("enable-oslogin") {
            return Ok(Verdict::not_applicable("another metadata key"));
        }
        support::gcp::text_at(view, "value")?
    } else {
        support::gcp::metadata(view, "enable-oslogin")?
    };
    if value.is_some_and(support::gcp::metadata_true) {
        return Ok(Verdict::Pass);
    }
    let path = if item {
        support::at(view, "value")
    } else {
        format!("{}[\"enable-oslogin\"]", support::at(view, "metadata"))
    };
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} does not turn OS Login on",
            support::who(view, "project metadata")
        ))
        .at(path),
    ))
}
