//! AWS-LAMBDA-002: Lambda function URLs require IAM authentication

use crate::support::{at, text};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-LAMBDA-002",
    name: "lambda-function-url-auth",
    title: "Lambda function URLs require IAM authentication",
    description: "A function URL with authorization type `NONE` is a public HTTPS endpoint: anyone who finds it can invoke the function.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["lambda"],
    topics: &["public-access", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["1.3.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1", "CC6.6"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.3", "A.8.5"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(d)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-3", "IA-2"],
        },
    ]),
    resource_types: &[
        "aws_lambda_function_url",
        "aws:lambda/functionUrl:FunctionUrl",
    ],
    remediation: "Set `authorization_type` (Pulumi `authorizationType`) to `AWS_IAM`, or front the function with API Gateway and an authorizer.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every Lambda function URL (`aws_lambda_function_url`, Pulumi `aws:lambda/functionUrl:FunctionUrl`) whose `authorization_type` (Pulumi `authorizationType`) is `NONE` is a violation; `AWS_IAM` passes. The argument is required; a value known only after apply is indeterminate.",
        why: "Function URLs are reachable from the whole internet. With `NONE`, the function itself must authenticate every request — most do not — and anyone can run it, read its responses, and make it spend money and concurrency. Public webhooks are the usual exception; validate their signatures in code and disable this rule for them with an exemption.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.lambda.FunctionUrl("api", { functionName: fn.name, authorizationType: "NONE" });

Terraform:

    resource "aws_lambda_function_url" "api" {
      function_name      = aws_lambda_function.api.function_name
      authorization_type = "NONE"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.lambda.FunctionUrl("api", { functionName: fn.name, authorizationType: "AWS_IAM" });

Terraform:

    resource "aws_lambda_function_url" "api" {
      function_name      = aws_lambda_function.api.function_name
      authorization_type = "AWS_IAM"
    }"#,
        fix: "Set `authorizationType: \"AWS_IAM\"` (Pulumi) or `authorization_type = \"AWS_IAM\"` (Terraform) and grant callers `lambda:InvokeFunctionUrl`; callers sign requests with SigV4. For end-user authentication put API Gateway with a JWT or Lambda authorizer in front instead.",
        references: &[
            "AWS Lambda Developer Guide: Security and auth model for Lambda function URLs — https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let auth = text(view, "authorizationType")?.unwrap_or("NONE");
    if !auth.eq_ignore_ascii_case("NONE") {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "Lambda function URL `{}` needs no authentication (`NONE`): anyone on the internet \
             can invoke the function; use `AWS_IAM`",
            view.resource.name
        ))
        .at(at(view, "authorizationType")),
    ))
}
