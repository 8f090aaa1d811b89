//! AWS-SQS-003: SQS queues have a dead-letter queue

use crate::support::at;
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-SQS-003",
    name: "sqs-queue-dead-letter",
    title: "SQS queues move failing messages to a dead-letter queue",
    description: "Without a redrive policy a message that cannot be processed is retried until it expires, blocking consumers and then vanishing.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["sqs"],
    topics: &["resilience"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "soc2",
            controls: &["A1.2"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.14"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SI-13", "CP-10"],
        },
    ]),
    resource_types: &[
        "aws_sqs_queue",
        "aws:sqs/queue:Queue",
    ],
    remediation: "Set `redrive_policy` with a `deadLetterTargetArn` and `maxReceiveCount`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every SQS queue (`aws_sqs_queue`, Pulumi `aws:sqs/queue:Queue`) must set `redrive_policy` (Pulumi `redrivePolicy`). A queue that sets `redrive_allow_policy` (Pulumi `redriveAllowPolicy`) is itself a dead-letter queue and is not applicable. A redrive policy known only after apply counts as set (it is usually built from the dead-letter queue's ARN). A queue whose redrive policy is a separate `aws_sqs_queue_redrive_policy` resource, or a dead-letter queue without a redrive allow policy, is reported and can be exempted.",
        why: "A poison message — malformed input, a bug triggered by one record — is received, fails and returns to the queue over and over, consuming consumer capacity and delaying everything behind it, until its retention period ends and it is silently deleted. A dead-letter queue isolates it for inspection and replay. AWS Well-Architected reliability guidance recommends one for every queue.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.sqs.Queue("orders", {});

Terraform:

    resource "aws_sqs_queue" "orders" {
      name = "orders"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const dlq = new aws.sqs.Queue("orders-dlq", {});
    new aws.sqs.Queue("orders", { redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }) });

Terraform:

    resource "aws_sqs_queue" "orders" {
      name           = "orders"
      redrive_policy = jsonencode({ deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn, maxReceiveCount = 5 })
    }"#,
        fix: "Create a dead-letter queue and set `redrivePolicy` (Pulumi) or `redrive_policy` (Terraform) to `{ deadLetterTargetArn, maxReceiveCount }`; give the dead-letter queue a `redriveAllowPolicy` / `redrive_allow_policy` naming its sources, which also marks it for this rule. Alarm on its `ApproximateNumberOfMessagesVisible`.",
        references: &[
            "Amazon SQS Developer Guide: Using dead-letter queues — https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

/// Whether a property is set; a value known only after apply counts (it is usually a policy
/// built from the dead-letter queue's ARN).
fn set(view: ResourceView<'_>, camel: &str) -> bool {
    !matches!(view.field(camel), Ok(None))
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if set(view, "redrivePolicy") {
        return Ok(Verdict::Pass);
    }
    if set(view, "redriveAllowPolicy") {
        return Ok(Verdict::not_applicable("the queue is a dead-letter queue"));
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "SQS queue `{}` has no dead-letter queue; messages that keep failing are retried \
             until they expire",
            view.resource.name
        ))
        .at(at(view, "redrivePolicy")),
    ))
}
