//! GCP-FUNCTIONS-002: Cloud Functions are not invokable by allUsers or allAuthenticatedUsers.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-FUNCTIONS-002",
    name: "functions-not-public",
    title: "Cloud Functions are not invokable by allUsers or allAuthenticatedUsers",
    description: "Granting `roles/cloudfunctions.invoker` to `allUsers` turns the function into an unauthenticated public endpoint.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "gcp",
    services: &["functions"],
    topics: &["access-control"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.5.15"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "AC-21"] },
    ]),
    resource_types: &["google_cloudfunctions_function_iam_member", "gcp:cloudfunctions/functionIamMember:FunctionIamMember", "google_cloudfunctions_function_iam_binding", "gcp:cloudfunctions/functionIamBinding:FunctionIamBinding", "google_cloudfunctions_function_iam_policy", "gcp:cloudfunctions/functionIamPolicy:FunctionIamPolicy", "google_cloudfunctions2_function_iam_member", "gcp:cloudfunctions2/functionIamMember:FunctionIamMember", "google_cloudfunctions2_function_iam_binding", "gcp:cloudfunctions2/functionIamBinding:FunctionIamBinding", "google_cloudfunctions2_function_iam_policy", "gcp:cloudfunctions2/functionIamPolicy:FunctionIamPolicy"],
    remediation: "Grant the role to named users, groups or service accounts instead of `allUsers` or `allAuthenticatedUsers`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "IAM members, bindings and policies of a Cloud Function (`google_cloudfunctions_function_iam_member`, `google_cloudfunctions_function_iam_binding`, `google_cloudfunctions_function_iam_policy`, `google_cloudfunctions2_function_iam_member`, `google_cloudfunctions2_function_iam_binding`, `google_cloudfunctions2_function_iam_policy`): no `member`, `members` entry or member of a `policy_data` binding may be `allUsers` or `allAuthenticatedUsers`. Each public member is one violation; members known only after apply are indeterminate.",
        why: "`allUsers` is anyone on the internet and `allAuthenticatedUsers` anyone with a Google account; neither is your organization. A public grant on a Cloud Function gives strangers what the role allows, and is found by automated scanners within hours.",
        noncompliant: r#"Terraform:

    resource "google_cloudfunctions_function_iam_member" "public" {
      cloud_function = "resize"
      role   = "roles/cloudfunctions.invoker"
      member = "allUsers"
    }"#,
        compliant: r#"Terraform:

    resource "google_cloudfunctions_function_iam_member" "team" {
      cloud_function = "resize"
      role   = "roles/cloudfunctions.invoker"
      member = "group:platform@acme.example"
    }"#,
        fix: "Replace the public member with the groups or service accounts that need the role. Where public access is the point, exempt the resource with a reason.",
        references: &["Google Cloud: Authenticate for invocation — https://cloud.google.com/functions/docs/securing/authenticating"],
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
        "Cloud Functions IAM resource",
        "the right to call the function",
    )
}
