//! GCP-COMPUTE-016: Instances use Shielded VM secure boot.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-016",
    name: "compute-instance-secure-boot",
    title: "Instances use Shielded VM secure boot",
    description: "Secure boot makes the instance refuse boot components that are not signed, stopping boot-level malware and rootkits.",
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
    remediation: "Set `shielded_instance_config { enable_secure_boot = true }` (Pulumi `shieldedInstanceConfig: { enableSecureBoot: true }`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Compute Engine instances and instance templates (`google_compute_instance`, `google_compute_instance_template`, Pulumi `gcp:compute/instance:Instance`, `gcp:compute/instanceTemplate:InstanceTemplate`): `shielded_instance_config.enable_secure_boot` (Pulumi `shieldedInstanceConfig.enableSecureBoot`) must be true. Unset means false and is a violation; a value known only after apply is indeterminate.",
        why: "Malware that installs itself in the bootloader or kernel survives reinstalling software and hides from tools running in the guest. Secure boot checks every boot component's signature against trusted keys and stops the boot when one fails.",
        noncompliant: r#"Terraform:

    resource "google_compute_instance" "web" {
      # ...
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_instance" "web" {
      # ...
      shielded_instance_config {
        enable_secure_boot          = true
        enable_vtpm                 = true
        enable_integrity_monitoring = true
      }
    }"#,
        fix: "Add `shielded_instance_config { enable_secure_boot = true }` on an image that supports Shielded VM (every public image does). Instances with custom unsigned drivers need them signed first.",
        references: &["Google Cloud: Shielded VM — https://cloud.google.com/compute/shielded-vm/docs/shielded-vm", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 4.8"],
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
    support::gcp::bool_setting(
        view,
        "shieldedInstanceConfig.enableSecureBoot",
        true,
        false,
        noun,
        "does not use secure boot",
    )
}
