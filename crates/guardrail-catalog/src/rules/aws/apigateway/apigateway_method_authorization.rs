//! AWS-APIGATEWAY-006: API Gateway methods and routes require authorization

use crate::support::{at, flag, text};
use guardrail_core::{
    canonical_type, Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-APIGATEWAY-006",
    name: "apigateway-method-authorization",
    title: "API Gateway methods and routes require authorization",
    description: "A method or route with authorization `NONE` can be called by anyone on the internet.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["apigateway"],
    topics: &["identity", "public-access"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["8.2.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.5"],
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
        "aws_api_gateway_method",
        "aws:apigateway/method:Method",
        "aws_apigatewayv2_route",
        "aws:apigatewayv2/route:Route",
    ],
    remediation: "Use an IAM, Cognito, JWT or Lambda authorizer (or at least require an API key for REST methods).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "REST API methods (`aws_api_gateway_method`, Pulumi `aws:apigateway/method:Method`) whose `authorization` is `NONE` and that do not set `api_key_required` (Pulumi `apiKeyRequired`), and HTTP/WebSocket routes (`aws_apigatewayv2_route`, Pulumi `aws:apigatewayv2/route:Route`) whose `authorization_type` (Pulumi `authorizationType`) is `NONE` or not set, are violations. `OPTIONS` methods and routes (CORS preflight) are not applicable. Values known only after apply are indeterminate.",
        why: "An unauthenticated endpoint runs your backend for anyone: data can be read or written without identity, and abuse cannot be attributed or throttled per caller. Public endpoints do exist (health checks, login, webhooks with signatures); exempt them explicitly so the choice is reviewed. API keys are identification rather than authentication, but they allow usage plans and throttling, so REST methods requiring one pass.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.apigateway.Method("get-orders", { restApi: api.id, resourceId: orders.id, httpMethod: "GET", authorization: "NONE" });

Terraform:

    resource "aws_api_gateway_method" "get_orders" {
      rest_api_id   = aws_api_gateway_rest_api.api.id
      resource_id   = aws_api_gateway_resource.orders.id
      http_method   = "GET"
      authorization = "NONE"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.apigateway.Method("get-orders", {
        restApi: api.id, resourceId: orders.id, httpMethod: "GET",
        authorization: "COGNITO_USER_POOLS", authorizerId: authorizer.id,
    });

Terraform:

    resource "aws_api_gateway_method" "get_orders" {
      rest_api_id   = aws_api_gateway_rest_api.api.id
      resource_id   = aws_api_gateway_resource.orders.id
      http_method   = "GET"
      authorization = "COGNITO_USER_POOLS"
      authorizer_id = aws_api_gateway_authorizer.cognito.id
    }"#,
        fix: "Set `authorization` to `AWS_IAM`, `COGNITO_USER_POOLS` or `CUSTOM` with an `authorizerId` / `authorizer_id` (REST), or `authorizationType` / `authorization_type` to `AWS_IAM`, `JWT` or `CUSTOM` with an authorizer (HTTP APIs). For endpoints that are public on purpose, add an exemption naming them.",
        references: &[
            "Amazon API Gateway Developer Guide: Controlling and managing access to REST APIs — https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html",
            "Amazon API Gateway Developer Guide: Controlling access to HTTP APIs — https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let v2 = canonical_type(&view.resource.type_) == "aws_apigatewayv2_route";
    let (auth_key, what) = if v2 {
        let route = text(view, "routeKey")?.unwrap_or_default();
        if route
            .trim_start()
            .to_ascii_uppercase()
            .starts_with("OPTIONS ")
        {
            return Ok(Verdict::not_applicable("CORS preflight route"));
        }
        ("authorizationType", format!("route `{route}`"))
    } else {
        let method = text(view, "httpMethod")?.unwrap_or_default();
        if method.eq_ignore_ascii_case("OPTIONS") {
            return Ok(Verdict::not_applicable("CORS preflight method"));
        }
        if flag(view, "apiKeyRequired")? == Some(true) {
            return Ok(Verdict::Pass);
        }
        ("authorization", format!("method `{method}`"))
    };
    let auth = text(view, auth_key)?.unwrap_or("NONE");
    if !auth.eq_ignore_ascii_case("NONE") {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "API Gateway `{}` ({what}) needs no authorization; anyone can call it",
            view.resource.name
        ))
        .at(at(view, auth_key)),
    ))
}
