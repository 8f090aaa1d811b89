//! GCP-COMPUTE-017: Instances keep vTPM and integrity monitoring on.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-017",
    name: "compute-instance-vtpm-integrity-monitoring",
    title: "Instances keep vTPM and integrity monitoring on",
    description: "The virtual TPM measures the boot and integrity monitoring compares it with a known good baseline; turning either off hides a tampered boot.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["compute"],
    topics: &["integrity"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["4.8"] },
        Control { framework: "iso27001", controls: &["A.8.7"] },
        Control { framework: "nist-800-53", controls: &["SI-7"] },
    ]),
    resource_types: &["google_compute_instance", "gcp:compute/instance:Instance", "google_compute_instance_template", "gcp:compute/instanceTemplate:InstanceTemplate"],
    remediation: "Leave `enable_vtpm` and `enable_integrity_monitoring` unset or true in `shielded_instance_config`.",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Compute Engine instances and instance templates (`google_compute_instance`, `google_compute_instance_template`, Pulumi `gcp:compute/instance:Instance`, `gcp:compute/instanceTemplate:InstanceTemplate`): `shielded_instance_config.enable_vtpm` and `shielded_instance_config.enable_integrity_monitoring` (Pulumi `shieldedInstanceConfig.enableVtpm`, `.enableIntegrityMonitoring`) must not be false. Unset means true and passes; each setting that is false is one violation; values known only after apply are indeterminate.",
        why: "Measured boot only helps when someone looks at the measurements: integrity monitoring raises a Cloud Logging event when the boot differs from the baseline. Without the vTPM there is nothing to measure.",
        noncompliant: r#"Terraform:

    resource "google_compute_instance" "web" {
      # ...
      shielded_instance_config {
        enable_integrity_monitoring = false
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_instance" "web" {
      # ...
      shielded_instance_config {
        enable_secure_boot = true
      }
    }"#,
        fix: "Remove the `false` settings (both default to true). The change is online; under `remediate` guardrail sets them to true (a safe fix).",
        references: &["Google Cloud: Integrity monitoring — https://cloud.google.com/compute/shielded-vm/docs/integrity-monitoring", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 4.8"],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let noun = if view.resource.type_.contains("emplate") {
        "instance template"
    } else {
        "instance"
    };
    let mut violations = Vec::new();
    for (camel, what) in [
        (
            "shieldedInstanceConfig.enableVtpm",
            "turns its virtual TPM off",
        ),
        (
            "shieldedInstanceConfig.enableIntegrityMonitoring",
            "turns integrity monitoring off",
        ),
    ] {
        if let Verdict::Violations(found) =
            support::gcp::bool_setting(view, camel, true, true, noun, what)?
        {
            violations.extend(found);
        }
    }
    Ok(Verdict::from_violations(violations))
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    let mut props = None;
    for camel in [
        "shieldedInstanceConfig.enableVtpm",
        "shieldedInstanceConfig.enableIntegrityMonitoring",
    ] {
        if support::flag(view, camel)? == Some(false) {
            let mut next = props.unwrap_or_else(|| view.props.clone());
            support::set_path(
                &mut next,
                view.resource.spelling,
                camel,
                Value::Bool(true),
                support::UnknownBlocks::Keep,
            );
            props = Some(next);
        }
    }
    Ok(props)
}
