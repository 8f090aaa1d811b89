//! AWS-LAMBDA-005: Lambda functions have a dead-letter queue

use crate::support::{at, text};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-LAMBDA-005",
    name: "lambda-dead-letter-queue",
    title: "Lambda functions send failed asynchronous events to a dead-letter queue",
    description: "Asynchronous invocations that keep failing are discarded after their retries unless the function has a dead-letter queue.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["lambda"],
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
            controls: &["CP-10", "SI-13"],
        },
    ]),
    resource_types: &[
        "aws_lambda_function",
        "aws:lambda/function:Function",
    ],
    remediation: "Set `dead_letter_config { target_arn = ... }` (Pulumi `deadLetterConfig: { targetArn }`) to an SQS queue or SNS topic.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every Lambda function (`aws_lambda_function`, Pulumi `aws:lambda/function:Function`) must set `dead_letter_config.target_arn` (Pulumi `deadLetterConfig.targetArn`). No block is a violation. A target known only after apply is indeterminate. On-failure destinations (`aws_lambda_function_event_invoke_config`) serve the same purpose; functions that use them, or that are only invoked synchronously, can be exempted.",
        why: "Events from S3, SNS, EventBridge and other asynchronous sources are retried twice and then thrown away. Without a dead-letter queue the lost events leave no trace: orders not processed, files not scanned. A queue keeps them for inspection and replay.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.lambda.Function("api", {
        role: role.arn, runtime: "python3.12", handler: "app.handler", code: new pulumi.asset.FileArchive("app.zip"),
    });

Terraform:

    resource "aws_lambda_function" "api" {
      function_name = "api"
      role          = aws_iam_role.api.arn
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.lambda.Function("api", {
        role: role.arn, runtime: "python3.12", handler: "app.handler", code: new pulumi.asset.FileArchive("app.zip"),
        deadLetterConfig: { targetArn: dlq.arn },
    });

Terraform:

    resource "aws_lambda_function" "api" {
      function_name = "api"
      role          = aws_iam_role.api.arn
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      dead_letter_config {
        target_arn = aws_sqs_queue.dlq.arn
      }
    }"#,
        fix: "Create an SQS queue (or SNS topic), allow the function's role `sqs:SendMessage` on it, and set `deadLetterConfig: { targetArn: dlq.arn }` (Pulumi) or `dead_letter_config { target_arn = aws_sqs_queue.dlq.arn }` (Terraform).",
        references: &[
            "AWS Lambda Developer Guide: Dead-letter queues — https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if text(view, "deadLetterConfig.targetArn")?.is_some() {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "Lambda function `{}` has no dead-letter queue; failed asynchronous events are \
             dropped",
            view.resource.name
        ))
        .at(at(view, "deadLetterConfig.targetArn")),
    ))
}
