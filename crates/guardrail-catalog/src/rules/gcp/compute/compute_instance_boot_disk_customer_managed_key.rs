//! GCP-COMPUTE-019: Instance boot disks encrypt with a customer-managed or customer-supplied key.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-019",
    name: "compute-instance-boot-disk-customer-managed-key",
    title: "Instance boot disks encrypt with a customer-managed or customer-supplied key",
    description: "The boot disk holds the operating system, credentials cached on it and often application data; a key of your own controls who can read it.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["compute"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "nist-800-53", controls: &["SC-12", "SC-28(1)"] },
        Control { framework: "hipaa", controls: &["164.312(a)(2)(iv)"] },
    ]),
    resource_types: &["google_compute_instance", "gcp:compute/instance:Instance"],
    remediation: "Set `boot_disk { kms_key_self_link = ... }` (Pulumi `bootDisk: { kmsKeySelfLink: ... }`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Compute Engine instances (`google_compute_instance`, Pulumi `gcp:compute/instance:Instance`): `boot_disk` must set `kms_key_self_link` or `disk_encryption_key_raw` (or attach an existing `source` disk, whose own resource is checked by GCP-COMPUTE-018, which passes here). A boot disk with none is a violation; values known only after apply are indeterminate.",
        why: "A boot disk created with the instance gets a Google-managed key unless one is named; its snapshots and images inherit that. Naming a Cloud KMS key keeps disk access under your audit and revocation.",
        noncompliant: r#"Terraform:

    resource "google_compute_instance" "web" {
      # ...
      boot_disk {
        initialize_params { image = "debian-cloud/debian-12" }
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_instance" "web" {
      # ...
      boot_disk {
        initialize_params { image = "debian-cloud/debian-12" }
        kms_key_self_link = google_kms_crypto_key.disks.id
      }
    }"#,
        fix: "Add `kms_key_self_link` to `boot_disk`. This recreates the instance; roll it out with a new instance template or a replacement.",
        references: &["Google Cloud: Protect resources with Cloud KMS keys — https://cloud.google.com/compute/docs/disks/customer-managed-encryption"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if support::read(view, "bootDisk")?.is_none() {
        return Ok(Verdict::not_applicable("no boot disk block"));
    }
    for camel in [
        "bootDisk.kmsKeySelfLink",
        "bootDisk.diskEncryptionKeyRaw",
        "bootDisk.source",
    ] {
        if support::gcp::text_at(view, camel)?.is_some() {
            return Ok(Verdict::Pass);
        }
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} has a boot disk encrypted with a Google-managed key",
            support::who(view, "instance")
        ))
        .at(support::at(view, "bootDisk")),
    ))
}
