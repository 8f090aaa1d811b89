//! GCP-IAM-001: Project IAM grants nothing to allUsers or allAuthenticatedUsers.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-IAM-001",
    name: "iam-project-not-public",
    title: "Project IAM grants nothing to allUsers or allAuthenticatedUsers",
    description: "A project-level role granted to `allUsers` or `allAuthenticatedUsers` applies to every resource in the project.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "gcp",
    services: &["iam"],
    topics: &["access-control"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.5.15"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "AC-21"] },
        Control { framework: "pci-dss", controls: &["7.2.1"] },
    ]),
    resource_types: &["google_project_iam_member", "gcp:projects/iAMMember:IAMMember", "google_project_iam_binding", "gcp:projects/iAMBinding:IAMBinding", "google_project_iam_policy", "gcp:projects/iAMPolicy:IAMPolicy"],
    remediation: "Grant the role to named users, groups or service accounts instead of `allUsers` or `allAuthenticatedUsers`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "IAM members, bindings and policies of a project (`google_project_iam_member`, `google_project_iam_binding`, `google_project_iam_policy`): no `member`, `members` entry or member of a `policy_data` binding may be `allUsers` or `allAuthenticatedUsers`. Each public member is one violation; members known only after apply are indeterminate.",
        why: "`allUsers` is anyone on the internet and `allAuthenticatedUsers` anyone with a Google account; neither is your organization. A public grant on a project gives strangers what the role allows, and is found by automated scanners within hours.",
        noncompliant: r#"Terraform:

    resource "google_project_iam_member" "public" {
      project = "acme-prod"
      role   = "roles/viewer"
      member = "allUsers"
    }"#,
        compliant: r#"Terraform:

    resource "google_project_iam_member" "team" {
      project = "acme-prod"
      role   = "roles/viewer"
      member = "group:platform@acme.example"
    }"#,
        fix: "Replace the public member with the groups or service accounts that need the role. Where public access is the point, exempt the resource with a reason.",
        references: &["Google Cloud: IAM principals — https://cloud.google.com/iam/docs/principals-overview"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    support::gcp::no_public_members(view, "project IAM resource", "a project role")
}
