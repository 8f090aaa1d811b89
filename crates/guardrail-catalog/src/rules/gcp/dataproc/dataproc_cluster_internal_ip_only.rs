//! GCP-DATAPROC-002: Dataproc cluster nodes have only internal IP addresses.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-DATAPROC-002",
    name: "dataproc-cluster-internal-ip-only",
    title: "Dataproc cluster nodes have only internal IP addresses",
    description: "Dataproc nodes run web UIs and Hadoop services that were never meant for the internet; external addresses expose them.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["dataproc"],
    topics: &["network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["1.4.4"] },
        Control { framework: "soc2", controls: &["CC6.6"] },
        Control { framework: "iso27001", controls: &["A.8.20"] },
        Control { framework: "nist-800-53", controls: &["SC-7"] },
    ]),
    resource_types: &["google_dataproc_cluster", "gcp:dataproc/cluster:Cluster"],
    remediation: "Set `cluster_config { gce_cluster_config { internal_ip_only = true } }`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Dataproc clusters: `cluster_config.gce_cluster_config.internal_ip_only` (Pulumi `clusterConfig.gceClusterConfig.internalIpOnly`) must be true. Unset follows the image version (true only from Dataproc 2.2) and is treated as a violation; a value known only after apply is indeterminate.",
        why: "Exposed YARN ResourceManager endpoints are a well-known target: they accept job submissions, which attackers use to mine cryptocurrency or move into the VPC.",
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
        gce_cluster_config {
          internal_ip_only = true
        }
      }
    }"#,
        fix: "Set `internal_ip_only = true` with Private Google Access on the subnet; use the Component Gateway for the web UIs.",
        references: &["Google Cloud: Dataproc cluster network configuration — https://cloud.google.com/dataproc/docs/concepts/configuring-clusters/network"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    support::gcp::bool_setting(
        view,
        "clusterConfig.gceClusterConfig.internalIpOnly",
        true,
        false,
        "Dataproc cluster",
        "gives its nodes external IP addresses",
    )
}
