//! GCP-ARTIFACTREGISTRY-001: Artifact Registry repositories grant nothing to allUsers or allAuthenticatedUsers.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-ARTIFACTREGISTRY-001",
    name: "artifactregistry-iam-not-public",
    title: "Artifact Registry repositories grant nothing to allUsers or allAuthenticatedUsers",
    description: "A public reader grant publishes your images and packages, with whatever secrets and internal code they contain; a public writer grant lets anyone replace them.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "gcp",
    services: &["artifactregistry"],
    topics: &["access-control"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.5.15"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "AC-21"] },
    ]),
    resource_types: &["google_artifact_registry_repository_iam_member", "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember", "google_artifact_registry_repository_iam_binding", "gcp:artifactregistry/repositoryIamBinding:RepositoryIamBinding", "google_artifact_registry_repository_iam_policy", "gcp:artifactregistry/repositoryIamPolicy:RepositoryIamPolicy"],
    remediation: "Grant the role to named users, groups or service accounts instead of `allUsers` or `allAuthenticatedUsers`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "IAM members, bindings and policies of an Artifact Registry repository (`google_artifact_registry_repository_iam_member`, `google_artifact_registry_repository_iam_binding`, `google_artifact_registry_repository_iam_policy`): no `member`, `members` entry or member of a `policy_data` binding may be `allUsers` or `allAuthenticatedUsers`. Each public member is one violation; members known only after apply are indeterminate.",
        why: "`allUsers` is anyone on the internet and `allAuthenticatedUsers` anyone with a Google account; neither is your organization. A public grant on an Artifact Registry repository gives strangers what the role allows, and is found by automated scanners within hours.",
        noncompliant: r#"Terraform:

    resource "google_artifact_registry_repository_iam_member" "public" {
      repository = "apps"
      role   = "roles/artifactregistry.reader"
      member = "allUsers"
    }"#,
        compliant: r#"Terraform:

    resource "google_artifact_registry_repository_iam_member" "team" {
      repository = "apps"
      role   = "roles/artifactregistry.reader"
      member = "group:platform@acme.example"
    }"#,
        fix: "Replace the public member with the groups or service accounts that need the role. Where public access is the point, exempt the resource with a reason.",
        references: &["Google Cloud: Configure access control for Artifact Registry — https://cloud.google.com/artifact-registry/docs/access-control"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    support::gcp::no_public_members(
        view,
        "Artifact Registry IAM resource",
        "access to the repository",
    )
}
