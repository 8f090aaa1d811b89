//! GCP-GKE-009: GKE clusters encrypt Kubernetes Secrets with a Cloud KMS key.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-GKE-009",
    name: "gke-secrets-encryption",
    title: "GKE clusters encrypt Kubernetes Secrets with a Cloud KMS key",
    description: "Application-layer secrets encryption wraps Secrets in etcd with your own Cloud KMS key, on top of Google's default encryption.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["gke"],
    topics: &["kubernetes", "encryption"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["3.5.1"] },
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "nist-800-53", controls: &["SC-28(1)", "SC-12"] },
        Control { framework: "hipaa", controls: &["164.312(a)(2)(iv)"] },
    ]),
    resource_types: &["google_container_cluster", "gcp:container/cluster:Cluster"],
    remediation: "Set `database_encryption { state = \"ENCRYPTED\" key_name = ... }`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "GKE clusters (`google_container_cluster`, Pulumi `gcp:container/cluster:Cluster`): `database_encryption.state` (Pulumi `databaseEncryption.state`) must be `ENCRYPTED`. Unset means `DECRYPTED` and is a violation; a value known only after apply is indeterminate.",
        why: "Secrets hold database passwords and API keys. With a key of your own, reading them from an etcd backup or snapshot needs access to the key too, and every decryption is in Cloud Audit Logs.",
        noncompliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      # no database_encryption
    }"#,
        compliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      database_encryption {
        state    = "ENCRYPTED"
        key_name = google_kms_crypto_key.etcd.id
      }
    }"#,
        fix: "Create a Cloud KMS key in the cluster's region, grant the GKE service agent `roles/cloudkms.cryptoKeyEncrypterDecrypter`, and add `database_encryption`. Existing Secrets are re-encrypted online.",
        references: &["Google Cloud: Encrypt secrets at the application layer — https://cloud.google.com/kubernetes-engine/docs/how-to/encrypting-secrets"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    support::gcp::one_of(
        view,
        "databaseEncryption.state",
        &["ENCRYPTED"],
        "DECRYPTED",
        "GKE cluster",
        "does not encrypt Secrets with a Cloud KMS key",
    )
}
