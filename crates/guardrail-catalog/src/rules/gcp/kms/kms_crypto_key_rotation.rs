//! GCP-KMS-001: Cloud KMS keys rotate at least every 90 days.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-KMS-001",
    name: "kms-crypto-key-rotation",
    title: "Cloud KMS keys rotate at least every 90 days",
    description: "Automatic rotation bounds how much data one key version protects and how long a leaked version stays useful.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["kms"],
    topics: &["encryption", "key-management"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["1.10"] },
        Control { framework: "pci-dss", controls: &["3.7.4"] },
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "nist-800-53", controls: &["SC-12"] },
    ]),
    resource_types: &["google_kms_crypto_key", "gcp:kms/cryptoKey:CryptoKey"],
    remediation: "Set `rotation_period = \"7776000s\"` (90 days) or shorter (Pulumi `rotationPeriod`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud KMS symmetric keys (`google_kms_crypto_key`, Pulumi `gcp:kms/cryptoKey:CryptoKey`) with purpose `ENCRYPT_DECRYPT` (the default): `rotation_period` (Pulumi `rotationPeriod`, seconds with an `s` suffix) must be set and at most `7776000s` (90 days). Unset means no automatic rotation and is a violation; asymmetric and MAC keys, which Cloud KMS cannot rotate automatically, are not applicable; a value known only after apply is indeterminate.",
        why: "Rotation limits the blast radius of a compromised key version and is expected by PCI DSS and the CIS benchmark. Cloud KMS keeps old versions for decryption, so rotation costs nothing in availability.",
        noncompliant: r#"Terraform:

    resource "google_kms_crypto_key" "storage" {
      name     = "storage"
      key_ring = google_kms_key_ring.data.id
    }"#,
        compliant: r#"Terraform:

    resource "google_kms_crypto_key" "storage" {
      name            = "storage"
      key_ring        = google_kms_key_ring.data.id
      rotation_period = "7776000s"
    }"#,
        fix: "Set `rotation_period = \"7776000s\"` or shorter. New data is encrypted with the newest version; re-encrypt old data if policy requires it.",
        references: &["Google Cloud: Key rotation — https://cloud.google.com/kms/docs/key-rotation", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 1.10"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if let Some(purpose) = support::gcp::text_at(view, "purpose")? {
        if !purpose.eq_ignore_ascii_case("ENCRYPT_DECRYPT") {
            return Ok(Verdict::not_applicable(format!(
                "a `{}` key cannot rotate automatically",
                support::gcp::shown_at(view, "purpose", purpose)
            )));
        }
    }
    let path = support::at(view, "rotationPeriod");
    let note = match support::gcp::text_at(view, "rotationPeriod")? {
        None => "it has no rotation period".to_string(),
        Some(period) => {
            let seconds = period
                .strip_suffix('s')
                .unwrap_or(period)
                .trim()
                .parse::<f64>()
                .ok();
            match seconds {
                Some(s) if s <= 7_776_000.0 => return Ok(Verdict::Pass),
                _ => format!(
                    "`{path}` is `{}`",
                    support::gcp::shown_at(view, "rotationPeriod", period)
                ),
            }
        }
    };
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} does not rotate at least every 90 days ({note})",
            support::who(view, "Cloud KMS key")
        ))
        .at(path),
    ))
}
