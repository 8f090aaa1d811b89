//! AWS-SNS-002: SNS topic policies do not grant access to everyone

use crate::support::resource_policy_verdict;
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-SNS-002",
    name: "sns-topic-policy-not-public",
    title: "SNS topic policies do not grant access to everyone",
    description: "A topic policy that allows the `*` principal without a narrowing condition lets anyone publish to, or subscribe to, the topic.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["sns"],
    topics: &["public-access", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["7.2.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.5.15", "A.8.3"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(a)(1)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-3", "AC-6"],
        },
    ]),
    resource_types: &[
        "aws_sns_topic_policy",
        "aws:sns/topicPolicy:TopicPolicy",
        "aws_sns_topic",
        "aws:sns/topic:Topic",
    ],
    remediation: "Name the principals in `Principal`, or narrow `*` with a condition such as `aws:SourceArn` or `aws:PrincipalOrgID`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "The `policy` of SNS topic policies (`aws_sns_topic_policy`, Pulumi `aws:sns/topicPolicy:TopicPolicy`) and of topics that set it inline (`aws_sns_topic`, Pulumi `aws:sns/topic:Topic`), as a JSON string or a Pulumi object. Each `Allow` statement whose principal is everyone (`*`, `{\"AWS\": \"*\"}`, `NotPrincipal`) and that no condition narrows (`aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOwner`, `aws:PrincipalOrgID`...) is a violation. A topic without a policy is not applicable; a policy known only after apply is indeterminate.",
        why: "Anyone allowed `sns:Publish` can push messages to every subscriber — phishing links to email subscribers, forged events to queues and functions. Anyone allowed `sns:Subscribe` can attach their own endpoint and receive every message. AWS services publishing to a topic should be admitted by service principal and `aws:SourceArn`.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.sns.TopicPolicy("orders", {
        arn: topic.arn,
        policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: "*" }] }),
    });

Terraform:

    resource "aws_sns_topic_policy" "orders" {
      arn    = aws_sns_topic.orders.arn
      policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = "*", Action = "sns:Publish", Resource = "*" }] })
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.sns.TopicPolicy("orders", {
        arn: topic.arn,
        policy: JSON.stringify({ Statement: [{
            Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sns:Publish", Resource: "*",
            Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:::uploads" } },
        }] }),
    });

Terraform:

    resource "aws_sns_topic_policy" "orders" {
      arn    = aws_sns_topic.orders.arn
      policy = jsonencode({ Statement = [{
        Effect = "Allow", Principal = { Service = "s3.amazonaws.com" }, Action = "sns:Publish", Resource = "*"
        Condition = { ArnLike = { "aws:SourceArn" = "arn:aws:s3:::uploads" } }
      }] })
    }"#,
        fix: "Replace `*` with the accounts, roles or service principals that publish or subscribe, in the Pulumi `policy` or the Terraform `jsonencode`; for AWS services add `aws:SourceArn` and `aws:SourceAccount` conditions.",
        references: &[
            "Amazon SNS Developer Guide: Example cases for Amazon SNS access control — https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html",
            "AWS Security Hub: [SNS.4] SNS topic access policies should not allow public access — https://docs.aws.amazon.com/securityhub/latest/userguide/sns-controls.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    resource_policy_verdict(view, "SNS topic policy")
}
