//! AWS-SNS-003: SNS subscriptions deliver over HTTPS

use crate::support::{at, text};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-SNS-003",
    name: "sns-subscription-https",
    title: "SNS HTTP subscriptions use HTTPS",
    description: "Messages delivered to an `http` endpoint cross the network unencrypted and unauthenticated.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["sns"],
    topics: &["tls", "encryption"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["4.2.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.7"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.24"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(e)(1)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-8"],
        },
    ]),
    resource_types: &[
        "aws_sns_topic_subscription",
        "aws:sns/topicSubscription:TopicSubscription",
    ],
    remediation: "Use `protocol = \"https\"` and an HTTPS endpoint.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every SNS subscription (`aws_sns_topic_subscription`, Pulumi `aws:sns/topicSubscription:TopicSubscription`) whose `protocol` is `http` is a violation; `https` and the other protocols pass. A protocol known only after apply is indeterminate.",
        why: "Over plain HTTP anyone on the path can read the notification and alter it, and the endpoint cannot be sure the request came from SNS (signature verification over HTTP still exposes the content). HTTPS protects messages in transit, as PCI DSS 4.2.1 and HIPAA transmission security require.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.sns.TopicSubscription("hook", { topic: topic.arn, protocol: "http", endpoint: "http://hooks.example.com/sns" });

Terraform:

    resource "aws_sns_topic_subscription" "hook" {
      topic_arn = aws_sns_topic.orders.arn
      protocol  = "http"
      endpoint  = "http://hooks.example.com/sns"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.sns.TopicSubscription("hook", { topic: topic.arn, protocol: "https", endpoint: "https://hooks.example.com/sns" });

Terraform:

    resource "aws_sns_topic_subscription" "hook" {
      topic_arn = aws_sns_topic.orders.arn
      protocol  = "https"
      endpoint  = "https://hooks.example.com/sns"
    }"#,
        fix: "Serve the endpoint over TLS and set `protocol: \"https\"` with an `https://` endpoint (Pulumi and Terraform alike); verify SNS message signatures in the receiver.",
        references: &[
            "Amazon SNS Developer Guide: Fanout to HTTP/S endpoints — https://docs.aws.amazon.com/sns/latest/dg/sns-http-https-endpoint-as-subscriber.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let protocol = text(view, "protocol")?.unwrap_or_default();
    if !protocol.eq_ignore_ascii_case("http") {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "SNS subscription `{}` delivers messages over plain HTTP; use HTTPS",
            view.resource.name
        ))
        .at(at(view, "protocol")),
    ))
}
