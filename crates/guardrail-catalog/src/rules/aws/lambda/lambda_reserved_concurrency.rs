//! AWS-LAMBDA-008: Lambda functions set reserved concurrency

use crate::support::{at, read};
use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-LAMBDA-008",
    name: "lambda-reserved-concurrency",
    title: "Lambda functions set a reserved concurrency limit",
    description: "Without a per-function limit one runaway or abused function can take every concurrent execution of the account and throttle all the others.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["lambda"],
    topics: &["resilience"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "soc2",
            controls: &["A1.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.6"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-5", "SC-6"],
        },
    ]),
    resource_types: &[
        "aws_lambda_function",
        "aws:lambda/function:Function",
    ],
    remediation: "Set `reserved_concurrent_executions` (Pulumi `reservedConcurrentExecutions`) to the function's expected peak.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every Lambda function (`aws_lambda_function`, Pulumi `aws:lambda/function:Function`): `reserved_concurrent_executions` (Pulumi `reservedConcurrentExecutions`) must be 0 or more. Not set, or -1 (the provider default: unreserved), is a violation. A value known only after apply is indeterminate.",
        why: "All functions of an account and region share one concurrency pool (1,000 by default). A traffic spike, a retry storm or a denial-of-wallet attack on one function consumes it and throttles every other function, including the critical ones. A reserved limit caps the damage and guarantees capacity.",
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
        reservedConcurrentExecutions: 50,
    });

Terraform:

    resource "aws_lambda_function" "api" {
      function_name = "api"
      role          = aws_iam_role.api.arn
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      reserved_concurrent_executions = 50
    }"#,
        fix: "Set `reservedConcurrentExecutions: 50` (Pulumi) or `reserved_concurrent_executions = 50` (Terraform), sized from the function's observed peak concurrency in CloudWatch. 0 stops the function entirely.",
        references: &[
            "AWS Lambda Developer Guide: Configuring reserved concurrency — https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let reserved = read(view, "reservedConcurrentExecutions")?
        .and_then(Value::as_i64)
        .unwrap_or(-1);
    if reserved >= 0 {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "Lambda function `{}` has no reserved concurrency; set a limit so one function cannot \
             exhaust the account's concurrency",
            view.resource.name
        ))
        .at(at(view, "reservedConcurrentExecutions")),
    ))
}
