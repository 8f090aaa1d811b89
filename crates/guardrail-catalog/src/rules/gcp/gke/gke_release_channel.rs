//! GCP-GKE-013: GKE clusters are enrolled in a release channel.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-GKE-013",
    name: "gke-release-channel",
    title: "GKE clusters are enrolled in a release channel",
    description: "A release channel keeps the control plane and nodes on supported, patched Kubernetes versions automatically.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["gke"],
    topics: &["kubernetes", "patching"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["6.3.3"] },
        Control { framework: "iso27001", controls: &["A.8.8"] },
        Control { framework: "nist-800-53", controls: &["SI-2"] },
    ]),
    resource_types: &["google_container_cluster", "gcp:container/cluster:Cluster"],
    remediation: "Set `release_channel { channel = \"REGULAR\" }` (or `STABLE`, `RAPID`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "GKE clusters (`google_container_cluster`, Pulumi `gcp:container/cluster:Cluster`): `release_channel.channel` (Pulumi `releaseChannel.channel`) must not be `UNSPECIFIED`. Unset enrolls new clusters in `REGULAR` and passes; a value known only after apply is indeterminate.",
        why: "Clusters opted out of channels stay on the version they were created with until someone upgrades them by hand, missing security patches and eventually falling out of support.",
        noncompliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      release_channel {
        channel = "UNSPECIFIED"
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      release_channel {
        channel = "REGULAR"
      }
    }"#,
        fix: "Set `release_channel { channel = \"REGULAR\" }` (or `STABLE`) and a maintenance window.",
        references: &["Google Cloud: About release channels — https://cloud.google.com/kubernetes-engine/docs/concepts/release-channels"],
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
        "releaseChannel.channel",
        &["RAPID", "REGULAR", "STABLE", "EXTENDED"],
        "REGULAR",
        "GKE cluster",
        "is not enrolled in a release channel",
    )
}
