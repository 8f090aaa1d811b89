//! GCP-GKE-002: GKE control planes accept connections only from authorized networks.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-GKE-002",
    name: "gke-master-authorized-networks",
    title: "GKE control planes accept connections only from authorized networks",
    description: "Without authorized networks the cluster's public endpoint accepts connections from any address; only authentication stands between the internet and the Kubernetes API.",
    severity: Severity::High,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["gke"],
    topics: &["kubernetes", "network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["1.3.1"] },
        Control { framework: "soc2", controls: &["CC6.6"] },
        Control { framework: "iso27001", controls: &["A.8.20"] },
        Control { framework: "nist-800-53", controls: &["SC-7", "AC-17"] },
    ]),
    resource_types: &["google_container_cluster", "gcp:container/cluster:Cluster"],
    remediation: "Add `master_authorized_networks_config` with the CIDR blocks that may reach the control plane.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "GKE clusters (`google_container_cluster`, Pulumi `gcp:container/cluster:Cluster`): a `master_authorized_networks_config` block (Pulumi `masterAuthorizedNetworksConfig`) must be present, unless `private_cluster_config.enable_private_endpoint` is true (no public endpoint at all). A cluster with neither is a violation; values known only after apply are indeterminate.",
        why: "Kubernetes API vulnerabilities and leaked kubeconfigs are exploited from anywhere when the endpoint is open. Limiting the control plane to corporate and CI ranges removes most of the internet from the attack.",
        noncompliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      # no master_authorized_networks_config
    }"#,
        compliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      master_authorized_networks_config {
        cidr_blocks {
          cidr_block   = "10.0.0.0/8"
          display_name = "corp"
        }
      }
    }"#,
        fix: "Add `master_authorized_networks_config` listing the ranges of administrators and CI runners, or make the endpoint private (`enable_private_endpoint = true`) and reach it through a bastion or Connect gateway.",
        references: &["Google Cloud: Add authorized networks for control plane access — https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks", "Google Cloud: Harden your cluster's security — https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if support::flag(view, "privateClusterConfig.enablePrivateEndpoint")? == Some(true) {
        return Ok(Verdict::Pass);
    }
    if support::read(view, "masterAuthorizedNetworksConfig")?
        .is_some_and(|b| b.items().next().is_some())
    {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} accepts control plane connections from any address (no authorized networks)",
            support::who(view, "GKE cluster")
        ))
        .at(support::at(view, "masterAuthorizedNetworksConfig")),
    ))
}
