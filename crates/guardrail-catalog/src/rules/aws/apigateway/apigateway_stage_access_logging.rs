//! AWS-APIGATEWAY-004: API Gateway stages write access logs

use crate::support::{at, text};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-APIGATEWAY-004",
    name: "apigateway-stage-access-logging",
    title: "API Gateway stages write access logs",
    description: "Access logs record who called the API, from where, and with what result; without them requests leave no trace.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["apigateway"],
    topics: &["logging"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["10.2.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC7.2"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.15"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(b)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AU-2", "AU-12"],
        },
    ]),
    resource_types: &[
        "aws_api_gateway_stage",
        "aws:apigateway/stage:Stage",
        "aws_apigatewayv2_stage",
        "aws:apigatewayv2/stage:Stage",
    ],
    remediation: "Set `access_log_settings { destination_arn = ..., format = ... }`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every REST API stage (`aws_api_gateway_stage`, Pulumi `aws:apigateway/stage:Stage`) and HTTP/WebSocket API stage (`aws_apigatewayv2_stage`, Pulumi `aws:apigatewayv2/stage:Stage`) must set `access_log_settings.destination_arn` (Pulumi `accessLogSettings.destinationArn`). No block is a violation. A destination known only after apply is indeterminate.",
        why: "API access logs are the record of every request: caller identity, source IP, route, status and latency. Investigating abuse of an API — credential stuffing, scraping, exploitation attempts — starts there. AWS Security Hub APIGateway.1 and APIGateway.9 ask for logging.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.apigateway.Stage("prod", { restApi: api.id, deployment: deployment.id, stageName: "prod" });

Terraform:

    resource "aws_api_gateway_stage" "prod" {
      rest_api_id   = aws_api_gateway_rest_api.api.id
      deployment_id = aws_api_gateway_deployment.api.id
      stage_name    = "prod"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.apigateway.Stage("prod", { restApi: api.id, deployment: deployment.id, stageName: "prod",
        accessLogSettings: { destinationArn: logGroup.arn, format: JSON.stringify({ requestId: "$context.requestId", ip: "$context.identity.sourceIp", status: "$context.status" }) } });

Terraform:

    resource "aws_api_gateway_stage" "prod" {
      rest_api_id   = aws_api_gateway_rest_api.api.id
      deployment_id = aws_api_gateway_deployment.api.id
      stage_name    = "prod"
      access_log_settings {
        destination_arn = aws_cloudwatch_log_group.api.arn
        format          = jsonencode({ requestId = "$context.requestId", ip = "$context.identity.sourceIp", status = "$context.status" })
      }
    }"#,
        fix: "Create a log group (or Firehose stream) and set `accessLogSettings: { destinationArn, format }` (Pulumi) or an `access_log_settings` block (Terraform). REST APIs also need the account-level CloudWatch role (`aws_api_gateway_account`).",
        references: &[
            "Amazon API Gateway Developer Guide: Set up CloudWatch logging for REST APIs — https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html",
            "AWS Security Hub: [APIGateway.1] and [APIGateway.9] logging controls — https://docs.aws.amazon.com/securityhub/latest/userguide/apigateway-controls.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if text(view, "accessLogSettings.destinationArn")?.is_some() {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "API Gateway stage `{}` writes no access logs; set an access log destination",
            view.resource.name
        ))
        .at(at(view, "accessLogSettings.destinationArn")),
    ))
}
