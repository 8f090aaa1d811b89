//! GCP-PUBSUB-001: Pub/Sub topics encrypt messages with a customer-managed key.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-PUBSUB-001",
    name: "pubsub-topic-cmek",
    title: "Pub/Sub topics encrypt messages with a customer-managed key",
    description: "Messages in flight through Pub/Sub often carry the same data as the databases; a key of your own controls and audits access to them.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["pubsub"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "nist-800-53", controls: &["SC-12", "SC-28(1)"] },
    ]),
    resource_types: &["google_pubsub_topic", "gcp:pubsub/topic:Topic"],
    remediation: "Set `kms_key_name` (Pulumi `kmsKeyName`) to a Cloud KMS key.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Pub/Sub topics (`google_pubsub_topic`, Pulumi `gcp:pubsub/topic:Topic`): `kms_key_name` must be set. Unset means Google-managed keys and is a violation; a value known only after apply is indeterminate.",
        why: "Retained and unacknowledged messages are stored for days. With a customer-managed key every decryption is logged and disabling the key makes them unreadable.",
        noncompliant: r#"Terraform:

    resource "google_pubsub_topic" "orders" {
      name = "orders"
    }"#,
        compliant: r#"Terraform:

    resource "google_pubsub_topic" "orders" {
      name         = "orders"
      kms_key_name = google_kms_crypto_key.pubsub.id
    }"#,
        fix: "Grant the Pub/Sub service agent `roles/cloudkms.cryptoKeyEncrypterDecrypter` on a key and set `kms_key_name`.",
        references: &["Google Cloud: Configure message encryption — https://cloud.google.com/pubsub/docs/encryption"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    support::gcp::require_set(
        view,
        "kmsKeyName",
        "Pub/Sub topic",
        "is not encrypted with a customer-managed key",
    )
}
