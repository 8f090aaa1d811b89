//! AWS-LAMBDA-006: Lambda environment variables are encrypted with a customer managed key

use crate::support::{at, read, text};
use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-LAMBDA-006",
    name: "lambda-environment-cmk-encryption",
    title: "Lambda environment variables are encrypted with a customer managed KMS key",
    description: "Environment variables often carry configuration secrets; with the default AWS managed key anyone allowed to read the function configuration reads them too.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["lambda"],
    topics: &["encryption", "secrets"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["3.5.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.24"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(a)(2)(iv)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-28", "SC-12"],
        },
    ]),
    resource_types: &[
        "aws_lambda_function",
        "aws:lambda/function:Function",
    ],
    remediation: "Set `kms_key_arn` (Pulumi `kmsKeyArn`) to a customer managed key, and move real secrets to Secrets Manager.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every Lambda function (`aws_lambda_function`, Pulumi `aws:lambda/function:Function`) with at least one variable in `environment.variables` (Pulumi `environment.variables`) must set `kms_key_arn` (Pulumi `kmsKeyArn`). Functions without environment variables are not applicable. Variables or a key known only after apply are indeterminate.",
        why: "Lambda always encrypts environment variables at rest, but with the AWS managed key `aws/lambda` any principal with `lambda:GetFunctionConfiguration` sees them in clear. A customer managed key adds a `kms:Decrypt` permission you control and audit, so reading configuration no longer means reading secrets.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.lambda.Function("api", {
        role: role.arn, runtime: "python3.12", handler: "app.handler", code: new pulumi.asset.FileArchive("app.zip"),
        environment: { variables: { DB_HOST: "db.internal" } },
    });

Terraform:

    resource "aws_lambda_function" "api" {
      function_name = "api"
      role          = aws_iam_role.api.arn
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      environment {
        variables = { DB_HOST = "db.internal" }
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.lambda.Function("api", {
        role: role.arn, runtime: "python3.12", handler: "app.handler", code: new pulumi.asset.FileArchive("app.zip"),
        environment: { variables: { DB_HOST: "db.internal" } },
        kmsKeyArn: key.arn,
    });

Terraform:

    resource "aws_lambda_function" "api" {
      function_name = "api"
      role          = aws_iam_role.api.arn
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      environment {
        variables = { DB_HOST = "db.internal" }
      }
      kms_key_arn = aws_kms_key.lambda.arn
    }"#,
        fix: "Create a KMS key the function's role may decrypt with and set `kmsKeyArn: key.arn` (Pulumi) or `kms_key_arn = aws_kms_key.lambda.arn` (Terraform). Better still, keep secrets in Secrets Manager or SSM Parameter Store and pass only their names.",
        references: &[
            "AWS Lambda Developer Guide: Securing Lambda environment variables — https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let variables = read(view, "environment.variables")?;
    let has_variables = variables
        .and_then(Value::as_object)
        .is_some_and(|vars| !vars.is_empty());
    if !has_variables {
        return Ok(Verdict::not_applicable(
            "the function has no environment variables",
        ));
    }
    if text(view, "kmsKeyArn")?.is_some() {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "Lambda function `{}` keeps environment variables without a customer managed KMS \
             key; set a KMS key",
            view.resource.name
        ))
        .at(at(view, "kmsKeyArn")),
    ))
}
