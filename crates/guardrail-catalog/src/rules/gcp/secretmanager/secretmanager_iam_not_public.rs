//! GCP-SECRETMANAGER-001: Secret Manager secrets grant nothing to allUsers or allAuthenticatedUsers.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-SECRETMANAGER-001",
    name: "secretmanager-iam-not-public",
    title: "Secret Manager secrets grant nothing to allUsers or allAuthenticatedUsers",
    description: "A public grant on a secret publishes the credential it holds.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "gcp",
    services: &["secretmanager"],
    topics: &["access-control"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.5.15"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "AC-21"] },
        Control { framework: "pci-dss", controls: &["8.3.2"] },
    ]),
    resource_types: &["google_secret_manager_secret_iam_member", "gcp:secretmanager/secretIamMember:SecretIamMember", "google_secret_manager_secret_iam_binding", "gcp:secretmanager/secretIamBinding:SecretIamBinding", "google_secret_manager_secret_iam_policy", "gcp:secretmanager/secretIamPolicy:SecretIamPolicy"],
    remediation: "Grant the role to named users, groups or service accounts instead of `allUsers` or `allAuthenticatedUsers`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "IAM members, bindings and policies of a Secret Manager secret (`google_secret_manager_secret_iam_member`, `google_secret_manager_secret_iam_binding`, `google_secret_manager_secret_iam_policy`): no `member`, `members` entry or member of a `policy_data` binding may be `allUsers` or `allAuthenticatedUsers`. Each public member is one violation; members known only after apply are indeterminate.",
        why: "`allUsers` is anyone on the internet and `allAuthenticatedUsers` anyone with a Google account; neither is your organization. A public grant on a Secret Manager secret gives strangers what the role allows, and is found by automated scanners within hours.",
        noncompliant: r#"Terraform:

    resource "google_secret_manager_secret_iam_member" "public" {
      secret_id = "orders-db"
      role   = "roles/secretmanager.secretAccessor"
      member = "allUsers"
    }"#,
        compliant: r#"Terraform:

    resource "google_secret_manager_secret_iam_member" "team" {
      secret_id = "orders-db"
      role   = "roles/secretmanager.secretAccessor"
      member = "group:platform@acme.example"
    }"#,
        fix: "Replace the public member with the groups or service accounts that need the role. Where public access is the point, exempt the resource with a reason.",
        references: &["Google Cloud: Access control with IAM for Secret Manager — https://cloud.google.com/secret-manager/docs/access-control"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    support::gcp::no_public_members(view, "Secret Manager IAM resource", "access to the secret")
}
