//! GCP-IAM-007: Service accounts grant nothing to allUsers or allAuthenticatedUsers.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-IAM-007",
    name: "iam-service-account-not-public",
    title: "Service accounts grant nothing to allUsers or allAuthenticatedUsers",
    description: "A public grant on a service account lets anyone impersonate it, or manage it, and act with all of its permissions.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "gcp",
    services: &["iam"],
    topics: &["access-control"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.5.15"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "AC-21"] },
    ]),
    resource_types: &["google_service_account_iam_member", "gcp:serviceaccount/iAMMember:IAMMember", "google_service_account_iam_binding", "gcp:serviceaccount/iAMBinding:IAMBinding", "google_service_account_iam_policy", "gcp:serviceaccount/iAMPolicy:IAMPolicy"],
    remediation: "Grant the role to named users, groups or service accounts instead of `allUsers` or `allAuthenticatedUsers`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "IAM members, bindings and policies of a service account (`google_service_account_iam_member`, `google_service_account_iam_binding`, `google_service_account_iam_policy`): no `member`, `members` entry or member of a `policy_data` binding may be `allUsers` or `allAuthenticatedUsers`. Each public member is one violation; members known only after apply are indeterminate.",
        why: "`allUsers` is anyone on the internet and `allAuthenticatedUsers` anyone with a Google account; neither is your organization. A public grant on a service account gives strangers what the role allows, and is found by automated scanners within hours.",
        noncompliant: r#"Terraform:

    resource "google_service_account_iam_member" "public" {
      service_account_id = "projects/acme/serviceAccounts/ci@acme.iam.gserviceaccount.com"
      role   = "roles/iam.serviceAccountTokenCreator"
      member = "allUsers"
    }"#,
        compliant: r#"Terraform:

    resource "google_service_account_iam_member" "team" {
      service_account_id = "projects/acme/serviceAccounts/ci@acme.iam.gserviceaccount.com"
      role   = "roles/iam.serviceAccountTokenCreator"
      member = "group:platform@acme.example"
    }"#,
        fix: "Replace the public member with the groups or service accounts that need the role. Where public access is the point, exempt the resource with a reason.",
        references: &["Google Cloud: Manage access to service accounts — https://cloud.google.com/iam/docs/manage-access-service-accounts"],
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
        "service account IAM resource",
        "control of the service account",
    )
}
