//! AWS-APIGATEWAY-008: API Gateway stages present a client certificate to backends

use crate::support::{at, text};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-APIGATEWAY-008",
    name: "apigateway-stage-client-certificate",
    title: "API Gateway REST API stages present a client certificate to their backends",
    description: "With a client certificate an HTTP backend can verify that requests really come from API Gateway.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["apigateway"],
    topics: &["tls", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["4.2.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.7"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.5"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["IA-3", "SC-8"],
        },
    ]),
    resource_types: &[
        "aws_api_gateway_stage",
        "aws:apigateway/stage:Stage",
    ],
    remediation: "Create an `aws_api_gateway_client_certificate` and set the stage's `client_certificate_id`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every REST API stage (`aws_api_gateway_stage`, Pulumi `aws:apigateway/stage:Stage`) must set `client_certificate_id` (Pulumi `clientCertificateId`). Not set is a violation. A value known only after apply is indeterminate. Stages whose integrations are all Lambda or AWS services gain nothing from it and can be exempted.",
        why: "An HTTP backend behind API Gateway is usually reachable by other paths too. If it accepts only requests presenting API Gateway's client certificate, callers cannot bypass the gateway's authorization, throttling and WAF by calling the backend directly. AWS Security Hub APIGateway.2 checks for it.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.apigateway.Stage("prod", { restApi: api.id, deployment: deployment.id, stageName: "prod" });

Terraform:

    resource "aws_api_gateway_stage" "prod" {
      rest_api_id   = aws_api_gateway_rest_api.api.id
      deployment_id = aws_api_gateway_deployment.api.id
      stage_name    = "prod"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.apigateway.Stage("prod", { restApi: api.id, deployment: deployment.id, stageName: "prod", clientCertificateId: cert.id });

Terraform:

    resource "aws_api_gateway_stage" "prod" {
      rest_api_id   = aws_api_gateway_rest_api.api.id
      deployment_id = aws_api_gateway_deployment.api.id
      stage_name    = "prod"
      client_certificate_id = aws_api_gateway_client_certificate.backend.id
    }"#,
        fix: "Create `aws.apigateway.ClientCertificate` / `aws_api_gateway_client_certificate`, set `clientCertificateId` / `client_certificate_id` on the stage, and configure the backend to require that certificate (mutual TLS).",
        references: &[
            "Amazon API Gateway Developer Guide: Generate and configure an SSL certificate for backend authentication — https://docs.aws.amazon.com/apigateway/latest/developerguide/getting-started-client-side-ssl-authentication.html",
            "AWS Security Hub: [APIGateway.2] API Gateway REST API stages should be configured to use SSL certificates for backend authentication — https://docs.aws.amazon.com/securityhub/latest/userguide/apigateway-controls.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

const PATH: &str = "clientCertificateId";

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if text(view, PATH)?.is_some() {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "API Gateway stage `{}` presents no client certificate to its backend; set one",
            view.resource.name
        ))
        .at(at(view, PATH)),
    ))
}
