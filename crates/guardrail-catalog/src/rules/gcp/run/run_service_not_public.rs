//! GCP-RUN-001: Cloud Run services are not invokable by allUsers or allAuthenticatedUsers.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-RUN-001",
    name: "run-service-not-public",
    title: "Cloud Run services are not invokable by allUsers or allAuthenticatedUsers",
    description: "Granting `roles/run.invoker` to `allUsers` makes the service a public endpoint that skips IAM authentication.",
    severity: Severity::High,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["run"],
    topics: &["access-control"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.5.15"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "AC-21"] },
    ]),
    resource_types: &["google_cloud_run_service_iam_member", "gcp:cloudrun/iamMember:IamMember", "google_cloud_run_service_iam_binding", "gcp:cloudrun/iamBinding:IamBinding", "google_cloud_run_service_iam_policy", "gcp:cloudrun/iamPolicy:IamPolicy", "google_cloud_run_v2_service_iam_member", "gcp:cloudrunv2/serviceIamMember:ServiceIamMember", "google_cloud_run_v2_service_iam_binding", "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding", "google_cloud_run_v2_service_iam_policy", "gcp:cloudrunv2/serviceIamPolicy:ServiceIamPolicy"],
    remediation: "Grant the role to named users, groups or service accounts instead of `allUsers` or `allAuthenticatedUsers`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "IAM members, bindings and policies of a Cloud Run service (`google_cloud_run_service_iam_member`, `google_cloud_run_service_iam_binding`, `google_cloud_run_service_iam_policy`, `google_cloud_run_v2_service_iam_member`, `google_cloud_run_v2_service_iam_binding`, `google_cloud_run_v2_service_iam_policy`): no `member`, `members` entry or member of a `policy_data` binding may be `allUsers` or `allAuthenticatedUsers`. Each public member is one violation; members known only after apply are indeterminate.",
        why: "`allUsers` is anyone on the internet and `allAuthenticatedUsers` anyone with a Google account; neither is your organization. A public grant on a Cloud Run service gives strangers what the role allows, and is found by automated scanners within hours.",
        noncompliant: r#"Terraform:

    resource "google_cloud_run_service_iam_member" "public" {
      service = "orders-api"
      role   = "roles/run.invoker"
      member = "allUsers"
    }"#,
        compliant: r#"Terraform:

    resource "google_cloud_run_service_iam_member" "team" {
      service = "orders-api"
      role   = "roles/run.invoker"
      member = "group:platform@acme.example"
    }"#,
        fix: "Replace the public member with the groups or service accounts that need the role. Where public access is the point, exempt the resource with a reason.",
        references: &["Google Cloud: Allowing public (unauthenticated) access — https://cloud.google.com/run/docs/authenticating/public"],
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
        "Cloud Run IAM resource",
        "the right to call the service",
    )
}
