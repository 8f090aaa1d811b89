//! GCP-COMPUTE-018: Persistent disks encrypt with a customer-managed or customer-supplied key.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-018",
    name: "compute-disk-customer-managed-key",
    title: "Persistent disks encrypt with a customer-managed or customer-supplied key",
    description: "Disks encrypted with your own Cloud KMS key (or a key you supply) can be audited and made unreadable by revoking the key.",
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
    resource_types: &["google_compute_disk", "gcp:compute/disk:Disk", "google_compute_region_disk", "gcp:compute/regionDisk:RegionDisk"],
    remediation: "Set `disk_encryption_key { kms_key_self_link = ... }` (Pulumi `diskEncryptionKey: { kmsKeySelfLink: ... }`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Persistent disks (`google_compute_disk`, `google_compute_region_disk` and their Pulumi `gcp:compute/disk:Disk`, `gcp:compute/regionDisk:RegionDisk`): `disk_encryption_key` must set `kms_key_self_link`, `raw_key` or `rsa_encrypted_key`. Without one the disk uses a Google-managed key and is a violation; values known only after apply are indeterminate.",
        why: "Disks hold databases, caches and swap. A key under your control records every use in Cloud Audit Logs and lets you cut access to the data and its snapshots at once.",
        noncompliant: r#"Terraform:

    resource "google_compute_disk" "data" {
      name = "data-1"
      zone = "europe-west1-b"
      size = 100
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_disk" "data" {
      name = "data-1"
      zone = "europe-west1-b"
      size = 100
      disk_encryption_key {
        kms_key_self_link = google_kms_crypto_key.disks.id
      }
    }"#,
        fix: "Create a Cloud KMS key in the disk's region, grant the Compute Engine service agent `roles/cloudkms.cryptoKeyEncrypterDecrypter`, and set `disk_encryption_key { kms_key_self_link = ... }`. The key of an existing disk cannot change: create a new disk from a snapshot.",
        references: &["Google Cloud: Protect resources with Cloud KMS keys — https://cloud.google.com/compute/docs/disks/customer-managed-encryption"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    for camel in [
        "diskEncryptionKey.kmsKeySelfLink",
        "diskEncryptionKey.rawKey",
        "diskEncryptionKey.rsaEncryptedKey",
    ] {
        if support::gcp::text_at(view, camel)?.is_some() {
            return Ok(Verdict::Pass);
        }
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} is encrypted with a Google-managed key",
            support::who(view, "persistent disk")
        ))
        .at(support::at(view, "diskEncryptionKey")),
    ))
}
