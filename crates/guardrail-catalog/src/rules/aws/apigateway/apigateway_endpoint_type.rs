//! AWS-APIGATEWAY-003: API Gateway REST APIs use an allowed endpoint type (AWSGuard apigateway-endpoint-type)

use crate::support::{at, read};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-APIGATEWAY-003",
    name: "apigateway-endpoint-type",
    title: "API Gateway REST APIs use an allowed endpoint type",
    description: "Edge-optimized endpoints sit behind a CloudFront distribution you do not control; regional and private endpoints let you put your own controls in front.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["apigateway"],
    topics: &["network"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "soc2",
            controls: &["CC6.6"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.20"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-7"],
        },
    ]),
    resource_types: &[
        "aws_api_gateway_rest_api",
        "aws:apigateway/restApi:RestApi",
    ],
    remediation: "Set `endpoint_configuration { types = [\"REGIONAL\"] }` (or `PRIVATE`).",
    fix: FixSafety::None,
    config_schema: Some(schema),
    docs: RuleDocs {
        what: "After AWSGuard's `apigateway-endpoint-type`, with the same configuration keys: every REST API (`aws_api_gateway_rest_api`, Pulumi `aws:apigateway/restApi:RestApi`) must use endpoint types that are allowed: `allowEdge` (default false), `allowRegional` (default true), `allowPrivate` (default true). The type is `endpoint_configuration.types` (Pulumi `endpointConfiguration.types`); not set means `EDGE`, the AWS default. AWSGuard allows only `EDGE` by default; this rule's defaults favour regional and private endpoints instead — set `allowEdge: true, allowRegional: false, allowPrivate: false` to reproduce AWSGuard. Types known only after apply are indeterminate.",
        why: "An edge-optimized API is fronted by an AWS-managed CloudFront distribution: you cannot attach your own WAF web ACL, TLS policy or logging to that distribution. A regional endpoint lets you choose what sits in front (your own CloudFront, WAF, Shield Advanced), and a private endpoint keeps an internal API off the internet entirely.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.apigateway.RestApi("api", {});

Terraform:

    resource "aws_api_gateway_rest_api" "api" {
      name = "api"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.apigateway.RestApi("api", { endpointConfiguration: { types: "REGIONAL" } });

Terraform:

    resource "aws_api_gateway_rest_api" "api" {
      name = "api"
      endpoint_configuration {
        types = ["REGIONAL"]
      }
    }"#,
        fix: "Set `endpointConfiguration: { types: \"REGIONAL\" }` (Pulumi) or `endpoint_configuration { types = [\"REGIONAL\"] }` (Terraform), or `PRIVATE` with `vpc_endpoint_ids` for internal APIs; put your own CloudFront distribution and WAF in front of regional APIs that serve the internet. Adjust `allowEdge`, `allowRegional` and `allowPrivate` to your organisation's choice.",
        references: &[
            "Pulumi AWSGuard policy pack: apigateway-endpoint-type — https://github.com/pulumi/pulumi-policy-aws",
            "Amazon API Gateway Developer Guide: API endpoint types for REST APIs — https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-endpoint-types.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn allowed(config: &serde_json::Value, key: &str) -> Result<bool, Halt> {
    config
        .get(key)
        .and_then(serde_json::Value::as_bool)
        .ok_or_else(|| Halt::error(format!("config `{key}` must be true or false")))
}

fn validate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Verdict, Halt> {
    let mut supported = Vec::new();
    for (key, kind) in [
        ("allowEdge", "EDGE"),
        ("allowRegional", "REGIONAL"),
        ("allowPrivate", "PRIVATE"),
    ] {
        if allowed(config, key)? {
            supported.push(kind);
        }
    }
    let path = at(view, "endpointConfiguration.types");
    let types: Vec<String> = match read(view, "endpointConfiguration.types")? {
        None => vec!["EDGE".to_string()],
        Some(list) => {
            let mut out = Vec::new();
            for item in list.items() {
                if item.is_unknown() {
                    return Err(Halt::unknown(path));
                }
                if let Some(s) = item.as_str() {
                    out.push(s.to_ascii_uppercase());
                }
            }
            if out.is_empty() {
                vec!["EDGE".to_string()]
            } else {
                out
            }
        }
    };
    let unsupported: Vec<&String> = types
        .iter()
        .filter(|t| !supported.contains(&t.as_str()))
        .collect();
    if unsupported.is_empty() {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "API Gateway REST API `{}` uses endpoint type {}; allowed: {}",
            view.resource.name,
            unsupported
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", "),
            supported.join(", ")
        ))
        .at(path),
    ))
}

fn schema() -> serde_json::Value {
    serde_json::json!({"type": "object", "properties": {"allowEdge": {"description": "Whether EDGE (edge-optimized) endpoints are allowed.", "type": "boolean", "default": false}, "allowRegional": {"description": "Whether REGIONAL endpoints are allowed.", "type": "boolean", "default": true}, "allowPrivate": {"description": "Whether PRIVATE (VPC-only) endpoints are allowed.", "type": "boolean", "default": true}}})
}
