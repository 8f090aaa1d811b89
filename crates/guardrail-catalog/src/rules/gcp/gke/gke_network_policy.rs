//! GCP-GKE-005: GKE clusters enforce network policies.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-GKE-005",
    name: "gke-network-policy",
    title: "GKE clusters enforce network policies",
    description: "Without network policy enforcement every pod can reach every other pod, so one compromised workload reaches all of them.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["gke"],
    topics: &["kubernetes", "network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["1.2.1"] },
        Control { framework: "soc2", controls: &["CC6.6"] },
        Control { framework: "iso27001", controls: &["A.8.22"] },
        Control { framework: "nist-800-53", controls: &["SC-7", "AC-4"] },
    ]),
    resource_types: &["google_container_cluster", "gcp:container/cluster:Cluster"],
    remediation: "Set `network_policy { enabled = true }` or `datapath_provider = \"ADVANCED_DATAPATH\"` (GKE Dataplane V2).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "GKE clusters (`google_container_cluster`, Pulumi `gcp:container/cluster:Cluster`): `network_policy.enabled` (Pulumi `networkPolicy.enabled`) must be true, or `datapath_provider` must be `ADVANCED_DATAPATH` (Dataplane V2 always enforces policies), or the cluster is Autopilot. Anything else is a violation; values known only after apply are indeterminate.",
        why: "Kubernetes NetworkPolicy objects do nothing unless the cluster enforces them; teams write them and believe they are segmented. Enforcement makes namespaces and tiers real boundaries.",
        noncompliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      # no network_policy, legacy datapath
    }"#,
        compliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      datapath_provider = "ADVANCED_DATAPATH"
    }"#,
        fix: "Create new clusters with `datapath_provider = \"ADVANCED_DATAPATH\"`; on existing clusters enable `network_policy` (and the `network_policy_config` addon). No automatic fix: enabling it recreates node pools.",
        references: &["Google Cloud: Control communication between Pods and Services using network policies — https://cloud.google.com/kubernetes-engine/docs/how-to/network-policy"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if support::flag(view, "enableAutopilot")? == Some(true) {
        return Ok(Verdict::Pass);
    }
    if support::gcp::text_at(view, "datapathProvider")?
        .is_some_and(|p| p.eq_ignore_ascii_case("ADVANCED_DATAPATH"))
    {
        return Ok(Verdict::Pass);
    }
    support::gcp::bool_setting(
        view,
        "networkPolicy.enabled",
        true,
        false,
        "GKE cluster",
        "does not enforce network policies",
    )
}
