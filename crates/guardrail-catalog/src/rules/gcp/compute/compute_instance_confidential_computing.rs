//! GCP-COMPUTE-038: Instances on confidential-capable machine types use Confidential VM.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-038",
    name: "compute-instance-confidential-computing",
    title: "Instances on confidential-capable machine types use Confidential VM",
    description: "Confidential VM encrypts the instance's memory with keys the host cannot read; on N2D, C2D and C3D machine types it costs nothing to turn on.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["compute"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["4.11"] },
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "nist-800-53", controls: &["SC-28", "SC-39"] },
    ]),
    resource_types: &["google_compute_instance", "gcp:compute/instance:Instance"],
    remediation: "Set `confidential_instance_config { enable_confidential_compute = true }` (with `on_host_maintenance = \"TERMINATE\"`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Compute Engine instances (`google_compute_instance`, Pulumi `gcp:compute/instance:Instance`) whose `machine_type` is in the N2D, C2D or C3D families: `confidential_instance_config.enable_confidential_compute` must be true, or `confidential_instance_config.confidential_instance_type` set. Other machine types are not applicable; values known only after apply are indeterminate.",
        why: "Data in use is the last state left unencrypted. CIS asks for Confidential Computing where the machine type supports it, so that a compromised host or a memory dump does not reveal the guest's data.",
        noncompliant: r#"Terraform:

    resource "google_compute_instance" "db" {
      machine_type = "n2d-standard-4"
      # ...
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_instance" "db" {
      machine_type = "n2d-standard-4"
      confidential_instance_config {
        enable_confidential_compute = true
      }
      scheduling {
        on_host_maintenance = "TERMINATE"
      }
      # ...
    }"#,
        fix: "Add `confidential_instance_config { enable_confidential_compute = true }` and `scheduling { on_host_maintenance = \"TERMINATE\" }`; the instance is recreated.",
        references: &["Google Cloud: Confidential VM overview — https://cloud.google.com/confidential-computing/confidential-vm/docs/confidential-vm-overview", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 4.11"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let machine = support::gcp::text_at(view, "machineType")?
        .unwrap_or_default()
        .to_ascii_lowercase();
    let family = machine.rsplit('/').next().unwrap_or_default();
    if !["n2d-", "c2d-", "c3d-"]
        .iter()
        .any(|p| family.starts_with(p))
    {
        return Ok(Verdict::not_applicable(
            "the machine type does not support Confidential VM",
        ));
    }
    if support::gcp::text_at(view, "confidentialInstanceConfig.confidentialInstanceType")?.is_some()
    {
        return Ok(Verdict::Pass);
    }
    support::gcp::bool_setting(
        view,
        "confidentialInstanceConfig.enableConfidentialCompute",
        true,
        false,
        "instance",
        "does not use Confidential VM on a machine type that supports it",
    )
}
