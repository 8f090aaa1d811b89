//! GCP-GKE-010: GKE clusters enforce Binary Authorization.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-GKE-010",
    name: "gke-binary-authorization",
    title: "GKE clusters enforce Binary Authorization",
    description: "Binary Authorization admits only container images that satisfy a policy (signed by CI, from trusted registries).",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["gke"],
    topics: &["kubernetes", "supply-chain"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["CC7.1", "CC8.1"] },
        Control { framework: "iso27001", controls: &["A.8.19"] },
        Control { framework: "nist-800-53", controls: &["CM-14", "SI-7"] },
    ]),
    resource_types: &["google_container_cluster", "gcp:container/cluster:Cluster"],
    remediation: "Set `binary_authorization { evaluation_mode = \"PROJECT_SINGLETON_POLICY_ENFORCE\" }`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "GKE clusters (`google_container_cluster`, Pulumi `gcp:container/cluster:Cluster`): `binary_authorization.evaluation_mode` (Pulumi `binaryAuthorization.evaluationMode`) must be `PROJECT_SINGLETON_POLICY_ENFORCE` or `POLICY_BINDINGS` (or the older `binary_authorization.enabled` true). Unset means `DISABLED` and is a violation; a value known only after apply is indeterminate.",
        why: "Without admission control anyone with deploy rights can run any image, including one pulled from a public registry or built outside CI. Binary Authorization ties what runs to what your pipeline built and attested.",
        noncompliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      # no binary_authorization
    }"#,
        compliant: r#"Terraform:

    resource "google_container_cluster" "prod" {
      name     = "prod"
      location = "europe-west1"
      binary_authorization {
        evaluation_mode = "PROJECT_SINGLETON_POLICY_ENFORCE"
      }
    }"#,
        fix: "Define the project's Binary Authorization policy (start in dry-run mode), then set `evaluation_mode`. No automatic fix: unattested images would stop deploying.",
        references: &["Google Cloud: Binary Authorization overview — https://cloud.google.com/binary-authorization/docs/overview"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if support::flag(view, "binaryAuthorization.enabled")? == Some(true) {
        return Ok(Verdict::Pass);
    }
    support::gcp::one_of(
        view,
        "binaryAuthorization.evaluationMode",
        &[
            "PROJECT_SINGLETON_POLICY_ENFORCE",
            "POLICY_BINDINGS",
            "POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE",
        ],
        "DISABLED",
        "GKE cluster",
        "does not enforce Binary Authorization",
    )
}
