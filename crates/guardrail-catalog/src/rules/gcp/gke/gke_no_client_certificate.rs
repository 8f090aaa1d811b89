//! GCP-GKE-004: GKE clusters do not issue client certificates.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-GKE-004",
    name: "gke-no-client-certificate",
    title: "GKE clusters do not issue client certificates",
    description: "A client certificate is a long-lived credential with cluster-admin rights that cannot be revoked without rotating the cluster's CA.",
    severity: Severity::High,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["gke"],
    topics: &["kubernetes", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.8.5"] },
        Control { framework: "nist-800-53", controls: &["IA-5", "AC-2"] },
    ]),
    resource_types: &["google_container_cluster", "gcp:container/cluster:Cluster"],
    remediation: "Set `master_auth.client_certificate_config.issue_client_certificate` to `false` (Pulumi `masterAuth.clientCertificateConfig.issueClientCertificate`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "GKE clusters (`google_container_cluster`, Pulumi `gcp:container/cluster:Cluster`): `master_auth.client_certificate_config.issue_client_certificate` (Pulumi `masterAuth.clientCertificateConfig.issueClientCertificate`) must be false. Unset means false and passes; a value known only after apply is indeterminate.",
        why: "The certificate lands in state files and kubeconfigs and grants full control to whoever copies it, with no link to a person in audit logs. IAM-based authentication is revocable and attributable.",
        noncompliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      master_auth {
        client_certificate_config {
          issue_client_certificate = true
        }
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      # no master_auth block: no client certificate
    }"#,
        fix: "Remove the `client_certificate_config` or set `issue_client_certificate = false`; authenticate with `gcloud` credentials. This recreates the cluster; no automatic fix.",
        references: &["Google Cloud: Authenticate to the Kubernetes API server — https://cloud.google.com/kubernetes-engine/docs/how-to/api-server-authentication", "Google Cloud: Harden your cluster's security — https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster"],
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
        "masterAuth.clientCertificateConfig.issueClientCertificate",
        false,
        false,
        "GKE cluster",
        "issues a client certificate",
    )
}
