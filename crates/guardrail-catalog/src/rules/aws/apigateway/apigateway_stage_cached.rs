//! AWS-APIGATEWAY-001: API Gateway stages have a cache cluster (AWSGuard apigateway-stage-cached)

use crate::support::flag_on_verdict;
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-APIGATEWAY-001",
    name: "apigateway-stage-cached",
    title: "API Gateway REST API stages have a cache cluster enabled",
    description: "A stage cache absorbs repeated requests, protecting the backend from load spikes and cheap denial-of-service.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["apigateway"],
    topics: &["resilience"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "soc2",
            controls: &["A1.1"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-5"],
        },
    ]),
    resource_types: &[
        "aws_api_gateway_stage",
        "aws:apigateway/stage:Stage",
    ],
    remediation: "Set `cache_cluster_enabled = true` (Pulumi `cacheClusterEnabled`) with a `cache_cluster_size`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "After AWSGuard's `apigateway-stage-cached`: every REST API stage (`aws_api_gateway_stage`, Pulumi `aws:apigateway/stage:Stage`) must set `cache_cluster_enabled` (Pulumi `cacheClusterEnabled`) to true. Not set means false, a violation. A value known only after apply is indeterminate.",
        why: "Without a cache every request reaches the integration — Lambda, a database-backed service — so a burst of identical requests, accidental or hostile, translates directly into backend load and cost. The cache is billed per hour, so the rule offers no automatic fix; stages whose responses must never be cached can be exempted. Pair with AWS-APIGATEWAY-002 so cached data is encrypted.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.apigateway.Stage("prod", { restApi: api.id, deployment: deployment.id, stageName: "prod" });

Terraform:

    resource "aws_api_gateway_stage" "prod" {
      rest_api_id   = aws_api_gateway_rest_api.api.id
      deployment_id = aws_api_gateway_deployment.api.id
      stage_name    = "prod"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.apigateway.Stage("prod", { restApi: api.id, deployment: deployment.id, stageName: "prod", cacheClusterEnabled: true, cacheClusterSize: "0.5" });

Terraform:

    resource "aws_api_gateway_stage" "prod" {
      rest_api_id   = aws_api_gateway_rest_api.api.id
      deployment_id = aws_api_gateway_deployment.api.id
      stage_name    = "prod"
      cache_cluster_enabled = true
      cache_cluster_size    = "0.5"
    }"#,
        fix: "Set `cacheClusterEnabled: true` and `cacheClusterSize: \"0.5\"` (Pulumi) or `cache_cluster_enabled = true` and `cache_cluster_size = \"0.5\"` (Terraform), then choose which methods cache through `aws_api_gateway_method_settings`.",
        references: &[
            "Pulumi AWSGuard policy pack: apigateway-stage-cached — https://github.com/pulumi/pulumi-policy-aws",
            "Amazon API Gateway Developer Guide: Cache settings for REST APIs — https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

const PATH: &str = "cacheClusterEnabled";

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    flag_on_verdict(
        view,
        PATH,
        false,
        "API Gateway stage",
        "has no cache cluster; enable one",
    )
}
