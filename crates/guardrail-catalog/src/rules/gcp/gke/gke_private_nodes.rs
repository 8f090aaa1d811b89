//! GCP-GKE-001: GKE nodes have only private IP addresses.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-GKE-001",
    name: "gke-private-nodes",
    title: "GKE nodes have only private IP addresses",
    description: "Private nodes have no external address, so the kubelet and node ports cannot be reached from the internet.",
    severity: Severity::High,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["gke"],
    topics: &["kubernetes", "network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["1.4.4"] },
        Control { framework: "soc2", controls: &["CC6.6"] },
        Control { framework: "iso27001", controls: &["A.8.20"] },
        Control { framework: "nist-800-53", controls: &["SC-7"] },
    ]),
    resource_types: &["google_container_cluster", "gcp:container/cluster:Cluster"],
    remediation: "Set `private_cluster_config.enable_private_nodes` to `true` (Pulumi `privateClusterConfig.enablePrivateNodes`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "GKE clusters (`google_container_cluster`, Pulumi `gcp:container/cluster:Cluster`): `private_cluster_config.enable_private_nodes` (Pulumi `privateClusterConfig.enablePrivateNodes`) must be true. Unset means nodes get external addresses and is a violation; a value known only after apply is indeterminate.",
        why: "A node with a public address is one firewall rule away from exposing NodePort services, the kubelet and anything with hostNetwork. Private nodes reach the internet through Cloud NAT and are reached only through load balancers you declare.",
        noncompliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      # no private_cluster_config
    }"#,
        compliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      private_cluster_config {
        enable_private_nodes    = true
        enable_private_endpoint = false
        master_ipv4_cidr_block  = "172.16.0.0/28"
      }
    }"#,
        fix: "Add `private_cluster_config { enable_private_nodes = true }` with a `master_ipv4_cidr_block`, and Cloud NAT for egress. Changing it recreates the cluster on older versions; no automatic fix.",
        references: &["Google Cloud: About private clusters — https://cloud.google.com/kubernetes-engine/docs/concepts/private-cluster-concept", "Google Cloud: Harden your cluster's security — https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster"],
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
        "privateClusterConfig.enablePrivateNodes",
        true,
        false,
        "GKE cluster",
        "gives its nodes public IP addresses",
    )
}
