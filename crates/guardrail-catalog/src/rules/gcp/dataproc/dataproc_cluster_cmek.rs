//! GCP-DATAPROC-001: Dataproc clusters encrypt disks with a customer-managed key.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-DATAPROC-001",
    name: "dataproc-cluster-cmek",
    title: "Dataproc clusters encrypt disks with a customer-managed key",
    description: "Dataproc clusters process bulk data on persistent disks; a Cloud KMS key of your own controls access to them.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["dataproc"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["1.17"] },
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "nist-800-53", controls: &["SC-12", "SC-28(1)"] },
    ]),
    resource_types: &["google_dataproc_cluster", "gcp:dataproc/cluster:Cluster"],
    remediation: "Set `cluster_config { encryption_config { kms_key_name = ... } }`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Dataproc clusters (`google_dataproc_cluster`, Pulumi `gcp:dataproc/cluster:Cluster`): `cluster_config.encryption_config.kms_key_name` (Pulumi `clusterConfig.encryptionConfig.kmsKeyName`) must be set. Unset is a violation; a value known only after apply is indeterminate.",
        why: "Shuffle data, HDFS blocks and job scratch space on cluster disks contain the data being processed. CIS asks for customer-managed keys on Dataproc.",
        noncompliant: r#"Terraform:

    resource "google_dataproc_cluster" "etl" {
      name   = "etl"
      region = "europe-west1"
    }"#,
        compliant: r#"Terraform:

    resource "google_dataproc_cluster" "etl" {
      name   = "etl"
      region = "europe-west1"
      cluster_config {
        encryption_config {
          kms_key_name = google_kms_crypto_key.dataproc.id
        }
      }
    }"#,
        fix: "Grant the Compute Engine and Dataproc service agents access to a key and set `encryption_config.kms_key_name`; clusters are recreated.",
        references: &["Google Cloud: Customer-managed encryption keys for Dataproc — https://cloud.google.com/dataproc/docs/concepts/configuring-clusters/customer-managed-encryption", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 1.17"],
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
        "clusterConfig.encryptionConfig.kmsKeyName",
        "Dataproc cluster",
        "is not encrypted with a customer-managed key",
    )
}
