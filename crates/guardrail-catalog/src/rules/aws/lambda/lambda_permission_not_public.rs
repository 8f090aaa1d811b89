//! AWS-LAMBDA-001: Lambda permissions do not let everyone invoke a function

use crate::support::{at, text};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-LAMBDA-001",
    name: "lambda-permission-not-public",
    title: "Lambda permissions do not let everyone invoke a function",
    description: "A resource-based permission for principal `*` with no source condition lets any AWS account (or anyone, for function URLs) invoke the function.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["lambda"],
    topics: &["public-access", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["1.3.1", "7.2.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1", "CC6.6"],
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
        "aws_lambda_permission",
        "aws:lambda/permission:Permission",
    ],
    remediation: "Set `principal` to the service or account that invokes the function, and `source_arn` or `source_account` for service principals.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every Lambda permission (`aws_lambda_permission`, Pulumi `aws:lambda/permission:Permission`) whose `principal` is `*` is a violation unless it is narrowed by `source_arn`, `source_account` or `principal_org_id` (Pulumi `sourceArn`, `sourceAccount`, `principalOrgId`). Service principals (`s3.amazonaws.com`) and account ids pass. A principal or scope known only after apply is indeterminate.",
        why: "The function policy is the only gate in front of a function invoked directly. With `*` anyone with AWS credentials can call it — run its code with its role, read what it returns, run up its bill — and with `lambda:InvokeFunctionUrl` and an unauthenticated URL, anyone on the internet.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.lambda.Permission("public", { action: "lambda:InvokeFunction", function: fn.name, principal: "*" });

Terraform:

    resource "aws_lambda_permission" "public" {
      action        = "lambda:InvokeFunction"
      function_name = aws_lambda_function.api.function_name
      principal     = "*"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.lambda.Permission("s3", {
        action: "lambda:InvokeFunction", function: fn.name,
        principal: "s3.amazonaws.com", sourceArn: bucket.arn, sourceAccount: "111122223333",
    });

Terraform:

    resource "aws_lambda_permission" "s3" {
      action         = "lambda:InvokeFunction"
      function_name  = aws_lambda_function.api.function_name
      principal      = "s3.amazonaws.com"
      source_arn     = aws_s3_bucket.uploads.arn
      source_account = "111122223333"
    }"#,
        fix: "Name the invoking service or account in `principal`; for service principals add `sourceArn` / `source_arn` (and `sourceAccount` / `source_account`) so only your resource can trigger the function; to open a function to your organisation use `principalOrgId` / `principal_org_id`.",
        references: &[
            "AWS Lambda Developer Guide: Using resource-based policies for Lambda — https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html",
            "AWS Security Hub: [Lambda.1] Lambda function policies should prohibit public access — https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let Some(principal) = text(view, "principal")? else {
        return Ok(Verdict::not_applicable("the permission names no principal"));
    };
    if principal.trim() != "*" {
        return Ok(Verdict::Pass);
    }
    for scope in ["sourceArn", "sourceAccount", "principalOrgId"] {
        if text(view, scope)?.is_some() {
            return Ok(Verdict::Pass);
        }
    }
    let function = text(view, "function")?
        .map(|f| format!(" function `{f}`"))
        .unwrap_or_else(|| " the function".to_string());
    Ok(Verdict::violation(
        Violation::new(format!(
            "Lambda permission `{}` lets any principal invoke{function}; name the principal or \
             set a source ARN, source account or organisation",
            view.resource.name
        ))
        .at(at(view, "principal")),
    ))
}
