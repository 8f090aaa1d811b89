//! GCP-KMS-002: Cloud KMS keys and key rings grant nothing to allUsers or allAuthenticatedUsers.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-KMS-002",
    name: "kms-iam-not-public",
    title: "Cloud KMS keys and key rings grant nothing to allUsers or allAuthenticatedUsers",
    description: "A public grant on a key or key ring lets anyone encrypt, decrypt or administer with it, defeating the protection the key gives.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "gcp",
    services: &["kms"],
    topics: &["access-control"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["1.9"] },
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.5.15"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "AC-21"] },
        Control { framework: "pci-dss", controls: &["3.6.1"] },
    ]),
    resource_types: &["google_kms_crypto_key_iam_member", "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "google_kms_crypto_key_iam_binding", "gcp:kms/cryptoKeyIAMBinding:CryptoKeyIAMBinding", "google_kms_crypto_key_iam_policy", "gcp:kms/cryptoKeyIAMPolicy:CryptoKeyIAMPolicy", "google_kms_key_ring_iam_member", "gcp:kms/keyRingIAMMember:KeyRingIAMMember", "google_kms_key_ring_iam_binding", "gcp:kms/keyRingIAMBinding:KeyRingIAMBinding", "google_kms_key_ring_iam_policy", "gcp:kms/keyRingIAMPolicy:KeyRingIAMPolicy"],
    remediation: "Grant the role to named users, groups or service accounts instead of `allUsers` or `allAuthenticatedUsers`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "IAM members, bindings and policies of a Cloud KMS key or key ring (`google_kms_crypto_key_iam_member`, `google_kms_crypto_key_iam_binding`, `google_kms_crypto_key_iam_policy`, `google_kms_key_ring_iam_member`, `google_kms_key_ring_iam_binding`, `google_kms_key_ring_iam_policy`): no `member`, `members` entry or member of a `policy_data` binding may be `allUsers` or `allAuthenticatedUsers`. Each public member is one violation; members known only after apply are indeterminate.",
        why: "`allUsers` is anyone on the internet and `allAuthenticatedUsers` anyone with a Google account; neither is your organization. A public grant on a Cloud KMS key or key ring gives strangers what the role allows, and is found by automated scanners within hours.",
        noncompliant: r#"Terraform:

    resource "google_kms_crypto_key_iam_member" "public" {
      crypto_key_id = "projects/acme/locations/europe/keyRings/data/cryptoKeys/storage"
      role   = "roles/cloudkms.cryptoKeyDecrypter"
      member = "allUsers"
    }"#,
        compliant: r#"Terraform:

    resource "google_kms_crypto_key_iam_member" "team" {
      crypto_key_id = "projects/acme/locations/europe/keyRings/data/cryptoKeys/storage"
      role   = "roles/cloudkms.cryptoKeyDecrypter"
      member = "group:platform@acme.example"
    }"#,
        fix: "Replace the public member with the groups or service accounts that need the role. Where public access is the point, exempt the resource with a reason.",
        references: &["Google Cloud: Cloud KMS access control — https://cloud.google.com/kms/docs/iam", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 1.9"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    support::gcp::no_public_members(view, "Cloud KMS IAM resource", "use of the keys")
}
