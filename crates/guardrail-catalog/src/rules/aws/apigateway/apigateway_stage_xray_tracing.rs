//! AWS-APIGATEWAY-005: API Gateway stages trace requests with X-Ray

use crate::support::{flag_on_fix, flag_on_verdict};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-APIGATEWAY-005",
    name: "apigateway-stage-xray-tracing",
    title: "API Gateway REST API stages trace requests with AWS X-Ray",
    description: "X-Ray tracing follows each request from the API into its backends, showing where errors and latency arise.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["apigateway"],
    topics: &["monitoring"],
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
        "aws_api_gateway_stage",
        "aws:apigateway/stage:Stage",
    ],
    remediation: "Set `xray_tracing_enabled = true` (Pulumi `xrayTracingEnabled`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every REST API stage (`aws_api_gateway_stage`, Pulumi `aws:apigateway/stage:Stage`): `xray_tracing_enabled` (Pulumi `xrayTracingEnabled`) must be true. Not set means false, a violation. A value known only after apply is indeterminate.",
        why: "Traces connect an API request to the Lambda invocations and service calls it caused, which is how operators find failing dependencies and how responders reconstruct what a malicious request touched. AWS Security Hub APIGateway.3 asks for it. Enabling it needs no permissions on your side and is sampled, so the fix is safe.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.apigateway.Stage("prod", { restApi: api.id, deployment: deployment.id, stageName: "prod" });

Terraform:

    resource "aws_api_gateway_stage" "prod" {
      rest_api_id   = aws_api_gateway_rest_api.api.id
      deployment_id = aws_api_gateway_deployment.api.id
      stage_name    = "prod"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.apigateway.Stage("prod", { restApi: api.id, deployment: deployment.id, stageName: "prod", xrayTracingEnabled: true });

Terraform:

    resource "aws_api_gateway_stage" "prod" {
      rest_api_id   = aws_api_gateway_rest_api.api.id
      deployment_id = aws_api_gateway_deployment.api.id
      stage_name    = "prod"
      xray_tracing_enabled = true
    }"#,
        fix: "Set `xrayTracingEnabled: true` (Pulumi) or `xray_tracing_enabled = true` (Terraform); under `remediate` guardrail sets it.",
        references: &[
            "Amazon API Gateway Developer Guide: Trace user requests to REST APIs using X-Ray — https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-xray.html",
            "AWS Security Hub: [APIGateway.3] API Gateway REST API stages should have AWS X-Ray tracing enabled — https://docs.aws.amazon.com/securityhub/latest/userguide/apigateway-controls.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

const PATH: &str = "xrayTracingEnabled";

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    flag_on_verdict(
        view,
        PATH,
        false,
        "API Gateway stage",
        "does not trace requests with X-Ray; enable tracing",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    flag_on_fix(view, PATH, false)
}
