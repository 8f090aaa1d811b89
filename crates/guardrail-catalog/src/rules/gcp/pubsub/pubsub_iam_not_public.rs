//! GCP-PUBSUB-002: Pub/Sub topics and subscriptions grant nothing to allUsers or allAuthenticatedUsers.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-PUBSUB-002",
    name: "pubsub-iam-not-public",
    title: "Pub/Sub topics and subscriptions grant nothing to allUsers or allAuthenticatedUsers",
    description: "A public grant on a topic lets anyone publish forged messages; on a subscription, read every message.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "gcp",
    services: &["pubsub"],
    topics: &["access-control"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.5.15"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "AC-21"] },
    ]),
    resource_types: &["google_pubsub_topic_iam_member", "gcp:pubsub/topicIAMMember:TopicIAMMember", "google_pubsub_topic_iam_binding", "gcp:pubsub/topicIAMBinding:TopicIAMBinding", "google_pubsub_topic_iam_policy", "gcp:pubsub/topicIAMPolicy:TopicIAMPolicy", "google_pubsub_subscription_iam_member", "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember", "google_pubsub_subscription_iam_binding", "gcp:pubsub/subscriptionIAMBinding:SubscriptionIAMBinding", "google_pubsub_subscription_iam_policy", "gcp:pubsub/subscriptionIAMPolicy:SubscriptionIAMPolicy"],
    remediation: "Grant the role to named users, groups or service accounts instead of `allUsers` or `allAuthenticatedUsers`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "IAM members, bindings and policies of a Pub/Sub topic or subscription (`google_pubsub_topic_iam_member`, `google_pubsub_topic_iam_binding`, `google_pubsub_topic_iam_policy`, `google_pubsub_subscription_iam_member`, `google_pubsub_subscription_iam_binding`, `google_pubsub_subscription_iam_policy`): no `member`, `members` entry or member of a `policy_data` binding may be `allUsers` or `allAuthenticatedUsers`. Each public member is one violation; members known only after apply are indeterminate.",
        why: "`allUsers` is anyone on the internet and `allAuthenticatedUsers` anyone with a Google account; neither is your organization. A public grant on a Pub/Sub topic or subscription gives strangers what the role allows, and is found by automated scanners within hours.",
        noncompliant: r#"Terraform:

    resource "google_pubsub_topic_iam_member" "public" {
      topic = "orders"
      role   = "roles/pubsub.publisher"
      member = "allUsers"
    }"#,
        compliant: r#"Terraform:

    resource "google_pubsub_topic_iam_member" "team" {
      topic = "orders"
      role   = "roles/pubsub.publisher"
      member = "group:platform@acme.example"
    }"#,
        fix: "Replace the public member with the groups or service accounts that need the role. Where public access is the point, exempt the resource with a reason.",
        references: &["Google Cloud: Access control with IAM for Pub/Sub — https://cloud.google.com/pubsub/docs/access-control"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    support::gcp::no_public_members(view, "Pub/Sub IAM resource", "access to the messages")
}
