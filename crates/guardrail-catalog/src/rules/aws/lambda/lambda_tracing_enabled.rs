//! AWS-LAMBDA-004: Lambda functions trace requests with X-Ray

use crate::support::{at, text};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-LAMBDA-004",
    name: "lambda-tracing-enabled",
    title: "Lambda functions trace requests with AWS X-Ray",
    description: "Active tracing records each invocation's path through downstream services, which incident response and performance work both depend on.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["lambda"],
    topics: &["monitoring", "logging"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "soc2",
            controls: &["CC7.2"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.16"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AU-12", "SI-4"],
        },
    ]),
    resource_types: &[
        "aws_lambda_function",
        "aws:lambda/function:Function",
    ],
    remediation: "Set `tracing_config { mode = \"Active\" }` (Pulumi `tracingConfig: { mode: \"Active\" }`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every Lambda function (`aws_lambda_function`, Pulumi `aws:lambda/function:Function`): `tracing_config.mode` (Pulumi `tracingConfig.mode`) must be `Active`. No block means `PassThrough`, a violation. A mode known only after apply is indeterminate.",
        why: "X-Ray traces show which downstream calls an invocation made, how long they took and where errors started. During an incident they tell which data stores a compromised function touched. The rule offers no automatic fix: the execution role needs `xray:PutTraceSegments` (the `AWSXRayDaemonWriteAccess` policy) first, and tracing is billed.",
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
        tracingConfig: { mode: "Active" },
    });

Terraform:

    resource "aws_lambda_function" "api" {
      function_name = "api"
      role          = aws_iam_role.api.arn
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      tracing_config {
        mode = "Active"
      }
    }"#,
        fix: "Attach `AWSXRayDaemonWriteAccess` to the function's role, then set `tracingConfig: { mode: \"Active\" }` (Pulumi) or `tracing_config { mode = \"Active\" }` (Terraform).",
        references: &[
            "AWS Lambda Developer Guide: Visualize Lambda function invocations using AWS X-Ray — https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let mode = text(view, "tracingConfig.mode")?.unwrap_or("PassThrough");
    if mode.eq_ignore_ascii_case("Active") {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "Lambda function `{}` does not trace requests with X-Ray (mode `{mode}`); set the \
             tracing mode to `Active`",
            view.resource.name
        ))
        .at(at(view, "tracingConfig.mode")),
    ))
}
