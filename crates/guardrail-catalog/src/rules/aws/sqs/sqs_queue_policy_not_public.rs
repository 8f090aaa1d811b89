//! AWS-SQS-002: SQS queue policies do not grant access to everyone

use crate::support::resource_policy_verdict;
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-SQS-002",
    name: "sqs-queue-policy-not-public",
    title: "SQS queue policies do not grant access to everyone",
    description: "A queue policy that allows the `*` principal without a narrowing condition lets anyone send, read or delete messages.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["sqs"],
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
        "aws_sqs_queue_policy",
        "aws:sqs/queuePolicy:QueuePolicy",
        "aws_sqs_queue",
        "aws:sqs/queue:Queue",
    ],
    remediation: "Name the principals in `Principal`, or narrow `*` with a condition such as `aws:SourceArn` or `aws:PrincipalOrgID`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "The `policy` of SQS queue policies (`aws_sqs_queue_policy`, Pulumi `aws:sqs/queuePolicy:QueuePolicy`) and of queues that set it inline (`aws_sqs_queue`, Pulumi `aws:sqs/queue:Queue`), as a JSON string or a Pulumi object. Each `Allow` statement whose principal is everyone (`*`, `{\"AWS\": \"*\"}`, `NotPrincipal`) and that no condition narrows (`aws:SourceArn`, `aws:SourceAccount`, `aws:PrincipalOrgID`, `aws:SourceVpce`...) is a violation. A queue without a policy is not applicable; a policy known only after apply is indeterminate.",
        why: "With `sqs:ReceiveMessage` open, anyone can read (and so consume) the queue's messages; with `sqs:SendMessage`, anyone can inject work for your consumers to process. AWS services that send to a queue (SNS, S3, EventBridge) should be admitted with `aws:SourceArn`.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.sqs.QueuePolicy("orders", {
        queueUrl: queue.id,
        policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*" }] }),
    });

Terraform:

    resource "aws_sqs_queue_policy" "orders" {
      queue_url = aws_sqs_queue.orders.id
      policy    = jsonencode({ Statement = [{ Effect = "Allow", Principal = "*", Action = "sqs:SendMessage", Resource = "*" }] })
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.sqs.QueuePolicy("orders", {
        queueUrl: queue.id,
        policy: JSON.stringify({ Statement: [{
            Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: queue.arn,
            Condition: { ArnEquals: { "aws:SourceArn": topic.arn } },
        }] }),
    });

Terraform:

    resource "aws_sqs_queue_policy" "orders" {
      queue_url = aws_sqs_queue.orders.id
      policy    = jsonencode({ Statement = [{
        Effect = "Allow", Principal = { Service = "sns.amazonaws.com" }, Action = "sqs:SendMessage", Resource = aws_sqs_queue.orders.arn
        Condition = { ArnEquals = { "aws:SourceArn" = aws_sns_topic.orders.arn } }
      }] })
    }"#,
        fix: "Replace `*` with the producer and consumer principals, or keep it for an AWS service principal with an `aws:SourceArn` condition naming the topic, bucket or rule that sends.",
        references: &[
            "Amazon SQS Developer Guide: Basic examples of Amazon SQS policies — https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-basic-examples-of-sqs-policies.html",
            "AWS Security Hub: [SQS.3] SQS queue access policies should not allow public access — https://docs.aws.amazon.com/securityhub/latest/userguide/sqs-controls.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    resource_policy_verdict(view, "SQS queue policy")
}
