//! AWS-LAMBDA-003: Lambda functions run in a VPC

use crate::support::{at, read};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-LAMBDA-003",
    name: "lambda-function-in-vpc",
    title: "Lambda functions run in a VPC",
    description: "Functions outside a VPC reach the internet directly and cannot be governed by security groups, network ACLs or VPC endpoints policies.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["lambda"],
    topics: &["network"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["1.3.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.6"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.20", "A.8.22"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-7"],
        },
    ]),
    resource_types: &[
        "aws_lambda_function",
        "aws:lambda/function:Function",
    ],
    remediation: "Set `vpc_config` (Pulumi `vpcConfig`) with private `subnet_ids` and `security_group_ids`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every Lambda function (`aws_lambda_function`, Pulumi `aws:lambda/function:Function`) must have a `vpc_config` block (Pulumi `vpcConfig`) with at least one entry in `subnet_ids` (Pulumi `subnetIds`). No block, or an empty list, is a violation. Subnets known only after apply are indeterminate.",
        why: "In a VPC, a function's traffic passes through your security groups, route tables and VPC endpoints: egress can be limited, data stores can stay private, and flow logs record connections. Outside a VPC the function talks to the internet freely, which helps exfiltration after a code injection. AWS Security Hub Lambda.3 asks for it; functions that only call public AWS APIs may reasonably be exempted.",
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
        vpcConfig: { subnetIds: privateSubnetIds, securityGroupIds: [sg.id] },
    });

Terraform:

    resource "aws_lambda_function" "api" {
      function_name = "api"
      role          = aws_iam_role.api.arn
      runtime       = "python3.12"
      handler       = "app.handler"
      filename      = "app.zip"
      vpc_config {
        subnet_ids         = aws_subnet.private[*].id
        security_group_ids = [aws_security_group.api.id]
      }
    }"#,
        fix: "Add `vpcConfig: { subnetIds, securityGroupIds }` (Pulumi) or a `vpc_config` block (Terraform) with private subnets, give the role `AWSLambdaVPCAccessExecutionRole`, and add VPC endpoints or a NAT gateway for the AWS services the function calls.",
        references: &[
            "AWS Lambda Developer Guide: Giving Lambda functions access to resources in an Amazon VPC — https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html",
            "AWS Security Hub: [Lambda.3] Lambda functions should be in a VPC — https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let subnets = read(view, "vpcConfig.subnetIds")?;
    if subnets.is_some_and(|s| s.items().next().is_some()) {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "Lambda function `{}` does not run in a VPC; attach it to private subnets",
            view.resource.name
        ))
        .at(at(view, "vpcConfig")),
    ))
}
