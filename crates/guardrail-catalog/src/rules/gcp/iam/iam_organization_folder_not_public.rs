//! GCP-IAM-006: Organization and folder IAM grants nothing to allUsers or allAuthenticatedUsers.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-IAM-006",
    name: "iam-organization-folder-not-public",
    title: "Organization and folder IAM grants nothing to allUsers or allAuthenticatedUsers",
    description: "A role granted to `allUsers` or `allAuthenticatedUsers` on an organization or folder applies to every project under it.",
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
    resource_types: &["google_organization_iam_member", "gcp:organizations/iAMMember:IAMMember", "google_organization_iam_binding", "gcp:organizations/iAMBinding:IAMBinding", "google_folder_iam_member", "gcp:folder/iAMMember:IAMMember", "google_folder_iam_binding", "gcp:folder/iAMBinding:IAMBinding"],
    remediation: "Grant the role to named users, groups or service accounts instead of `allUsers` or `allAuthenticatedUsers`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "IAM members, bindings and policies of an organization or folder (`google_organization_iam_member`, `google_organization_iam_binding`, `google_folder_iam_member`, `google_folder_iam_binding`): no `member`, `members` entry or member of a `policy_data` binding may be `allUsers` or `allAuthenticatedUsers`. Each public member is one violation; members known only after apply are indeterminate.",
        why: "`allUsers` is anyone on the internet and `allAuthenticatedUsers` anyone with a Google account; neither is your organization. A public grant on an organization or folder gives strangers what the role allows, and is found by automated scanners within hours.",
        noncompliant: r#"Terraform:

    resource "google_organization_iam_member" "public" {
      folder = "folders/123456789012"
      role   = "roles/viewer"
      member = "allUsers"
    }"#,
        compliant: r#"Terraform:

    resource "google_organization_iam_member" "team" {
      folder = "folders/123456789012"
      role   = "roles/viewer"
      member = "group:platform@acme.example"
    }"#,
        fix: "Replace the public member with the groups or service accounts that need the role. Where public access is the point, exempt the resource with a reason.",
        references: &["Google Cloud: Resource hierarchy and IAM inheritance — https://cloud.google.com/iam/docs/resource-hierarchy-access-control"],
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
        "organization or folder IAM resource",
        "a role on every project below it",
    )
}
