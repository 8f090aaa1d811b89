//! AWS-LAMBDA-007: Lambda functions use supported runtimes

use crate::support::{at, text};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-LAMBDA-007",
    name: "lambda-runtime-supported",
    title: "Lambda functions use a runtime AWS still supports",
    description: "Deprecated runtimes no longer receive security patches, and AWS blocks creating and then updating functions that use them.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["lambda"],
    topics: &["vulnerability-management"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["6.3.3"],
        },
        Control {
            framework: "soc2",
            controls: &["CC7.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.8"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SI-2", "SA-22"],
        },
    ]),
    resource_types: &[
        "aws_lambda_function",
        "aws:lambda/function:Function",
    ],
    remediation: "Move the function to a supported runtime (for example `python3.13`, `nodejs22.x`, `java21`).",
    fix: FixSafety::None,
    config_schema: Some(schema),
    docs: RuleDocs {
        what: "Every Lambda function (`aws_lambda_function`, Pulumi `aws:lambda/function:Function`) whose `runtime` is in `deprecatedRuntimes` is a violation. The default list holds the runtimes AWS had deprecated (or scheduled with a date already past) when this rule was last updated: Node.js up to 18, Python up to 3.9, Ruby 2.5, 2.7 and 3.2, Java 8 on Amazon Linux 1, .NET Core and .NET up to 7, `go1.x` and `provided`; extend the list as AWS announces further deprecations. Functions without a runtime (container images) are not applicable. A runtime known only after apply is indeterminate.",
        why: "A deprecated runtime stops receiving security patches for its language runtime and operating system. AWS then blocks creating functions with it and, later, updating them — so a vulnerable function cannot even be redeployed in a hurry. PCI DSS 6.3.3 requires supported, patched components.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.lambda.Function("api", {
        role: role.arn, runtime: "python3.8", handler: "app.handler", code: new pulumi.asset.FileArchive("app.zip"),
    });

Terraform:

    resource "aws_lambda_function" "api" {
      function_name = "api"
      role          = aws_iam_role.api.arn
      runtime       = "python3.8"
      handler       = "app.handler"
      filename      = "app.zip"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.lambda.Function("api", {
        role: role.arn, runtime: "python3.13", handler: "app.handler", code: new pulumi.asset.FileArchive("app.zip"),
    });

Terraform:

    resource "aws_lambda_function" "api" {
      function_name = "api"
      role          = aws_iam_role.api.arn
      runtime       = "python3.13"
      handler       = "app.handler"
      filename      = "app.zip"
    }"#,
        fix: "Change `runtime` to a supported version in Pulumi or Terraform, test the function against it, and redeploy. See the Lambda runtimes page for the current list and dates; add newly deprecated identifiers to the rule's `deprecatedRuntimes` configuration.",
        references: &[
            "AWS Lambda Developer Guide: Lambda runtimes (supported and deprecated) — https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html",
            "AWS Security Hub: [Lambda.2] Lambda functions should use supported runtimes — https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Verdict, Halt> {
    let deprecated: Vec<&str> = match config.get("deprecatedRuntimes") {
        Some(serde_json::Value::Array(list)) => {
            list.iter().filter_map(serde_json::Value::as_str).collect()
        }
        _ => {
            return Err(Halt::error(
                "config `deprecatedRuntimes` must be a list of runtime ids",
            ))
        }
    };
    let Some(runtime) = text(view, "runtime")? else {
        return Ok(Verdict::not_applicable(
            "no runtime (a container image function)",
        ));
    };
    if !deprecated
        .iter()
        .any(|d| d.eq_ignore_ascii_case(runtime.trim()))
    {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "Lambda function `{}` uses runtime `{runtime}`, which AWS no longer supports; move to \
             a supported runtime",
            view.resource.name
        ))
        .at(at(view, "runtime")),
    ))
}

fn schema() -> serde_json::Value {
    serde_json::json!({"type": "object", "properties": {"deprecatedRuntimes": {"description": "Runtime identifiers that count as deprecated.", "type": "array", "items": {"type": "string"}, "default": ["nodejs", "nodejs4.3", "nodejs4.3-edge", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x", "nodejs18.x", "python2.7", "python3.6", "python3.7", "python3.8", "python3.9", "ruby2.5", "ruby2.7", "ruby3.2", "java8", "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet5.0", "dotnet6", "dotnet7", "go1.x", "provided"]}}})
}
