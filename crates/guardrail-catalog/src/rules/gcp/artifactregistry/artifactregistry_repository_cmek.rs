//! GCP-ARTIFACTREGISTRY-002: Artifact Registry repositories encrypt with a customer-managed key.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-ARTIFACTREGISTRY-002",
    name: "artifactregistry-repository-cmek",
    title: "Artifact Registry repositories encrypt with a customer-managed key",
    description: "Images and packages often embed code and configuration worth protecting; a Cloud KMS key of your own audits and controls access to them.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["artifactregistry"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "nist-800-53", controls: &["SC-12", "SC-28(1)"] },
    ]),
    resource_types: &["google_artifact_registry_repository", "gcp:artifactregistry/repository:Repository"],
    remediation: "Set `kms_key_name` (Pulumi `kmsKeyName`) when creating the repository.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Artifact Registry repositories (`google_artifact_registry_repository`, Pulumi `gcp:artifactregistry/repository:Repository`): `kms_key_name` must be set. Unset means Google-managed keys and is a violation; a value known only after apply is indeterminate.",
        why: "A repository holds every build of your software; with a customer-managed key, reading it also needs the key, every use is logged, and disabling the key cuts access at once.",
        noncompliant: r#"Terraform:

    resource "google_artifact_registry_repository" "apps" {
      repository_id = "apps"
      location      = "europe"
      format        = "DOCKER"
    }"#,
        compliant: r#"Terraform:

    resource "google_artifact_registry_repository" "apps" {
      repository_id = "apps"
      location      = "europe"
      format        = "DOCKER"
      kms_key_name  = google_kms_crypto_key.images.id
    }"#,
        fix: "Grant the Artifact Registry service agent access to a key in the repository's location and set `kms_key_name`; the key cannot change later, so new repositories are the place to start.",
        references: &["Google Cloud: Enable customer-managed encryption keys for Artifact Registry — https://cloud.google.com/artifact-registry/docs/cmek"],
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
        "Artifact Registry repository",
        "is not encrypted with a customer-managed key",
    )
}
