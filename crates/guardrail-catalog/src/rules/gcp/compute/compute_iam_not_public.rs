//! GCP-COMPUTE-034: Compute Engine instances and images grant nothing to allUsers or allAuthenticatedUsers.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-034",
    name: "compute-iam-not-public",
    title: "Compute Engine instances and images grant nothing to allUsers or allAuthenticatedUsers",
    description: "A public grant on an instance lets strangers administer or connect to it; on an image, copy the disk with whatever secrets and code it holds.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "gcp",
    services: &["compute"],
    topics: &["access-control"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.5.15"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "AC-21"] },
    ]),
    resource_types: &["google_compute_instance_iam_member", "gcp:compute/instanceIAMMember:InstanceIAMMember", "google_compute_instance_iam_binding", "gcp:compute/instanceIAMBinding:InstanceIAMBinding", "google_compute_instance_iam_policy", "gcp:compute/instanceIAMPolicy:InstanceIAMPolicy", "google_compute_image_iam_member", "gcp:compute/imageIamMember:ImageIamMember", "google_compute_image_iam_binding", "gcp:compute/imageIamBinding:ImageIamBinding", "google_compute_image_iam_policy", "gcp:compute/imageIamPolicy:ImageIamPolicy"],
    remediation: "Grant the role to named users, groups or service accounts instead of `allUsers` or `allAuthenticatedUsers`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "IAM members, bindings and policies of a Compute Engine instance or image (`google_compute_instance_iam_member`, `google_compute_instance_iam_binding`, `google_compute_instance_iam_policy`, `google_compute_image_iam_member`, `google_compute_image_iam_binding`, `google_compute_image_iam_policy`): no `member`, `members` entry or member of a `policy_data` binding may be `allUsers` or `allAuthenticatedUsers`. Each public member is one violation; members known only after apply are indeterminate.",
        why: "`allUsers` is anyone on the internet and `allAuthenticatedUsers` anyone with a Google account; neither is your organization. A public grant on a Compute Engine instance or image gives strangers what the role allows, and is found by automated scanners within hours.",
        noncompliant: r#"Terraform:

    resource "google_compute_instance_iam_member" "public" {
      instance_name = "web-1"
      role   = "roles/compute.osLogin"
      member = "allUsers"
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_instance_iam_member" "team" {
      instance_name = "web-1"
      role   = "roles/compute.osLogin"
      member = "group:platform@acme.example"
    }"#,
        fix: "Replace the public member with the groups or service accounts that need the role. Where public access is the point, exempt the resource with a reason.",
        references: &["Google Cloud: Compute Engine IAM roles — https://cloud.google.com/compute/docs/access/iam"],
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
        "Compute Engine IAM resource",
        "access to the instance or image",
    )
}
