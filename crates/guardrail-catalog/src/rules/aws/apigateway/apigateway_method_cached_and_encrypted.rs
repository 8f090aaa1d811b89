//! AWS-APIGATEWAY-002: API Gateway methods cache responses and encrypt the cache (AWSGuard apigateway-method-cached-and-encrypted)

use crate::support::{at, flag, text};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-APIGATEWAY-002",
    name: "apigateway-method-cached-and-encrypted",
    title: "API Gateway method settings cache responses and encrypt the cache",
    description: "Cached API responses may hold personal or confidential data; the cache should be used and encrypted at rest.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["apigateway"],
    topics: &["encryption", "resilience"],
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
            controls: &["SC-28"],
        },
    ]),
    resource_types: &[
        "aws_api_gateway_method_settings",
        "aws:apigateway/methodSettings:MethodSettings",
    ],
    remediation: "Set `settings { caching_enabled = true, cache_data_encrypted = true }`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "After AWSGuard's `apigateway-method-cached-and-encrypted`: every method settings resource (`aws_api_gateway_method_settings`, Pulumi `aws:apigateway/methodSettings:MethodSettings`) must set `settings.caching_enabled` and `settings.cache_data_encrypted` (Pulumi `settings.cachingEnabled`, `settings.cacheDataEncrypted`) to true; each one missing or false is a violation. Values known only after apply are indeterminate.",
        why: "API Gateway stores cached responses on the stage's cache cluster. They are whatever the backend returned — account details, tokens, health data — and without `cache_data_encrypted` they sit unencrypted. AWSGuard also asks that methods cache at all, to shield the backend; methods that must not cache (per-user responses) can be exempted.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.apigateway.MethodSettings("all", {
        restApi: api.id, stageName: stage.stageName, methodPath: "*/*",
        settings: { cachingEnabled: true },
    });

Terraform:

    resource "aws_api_gateway_method_settings" "all" {
      rest_api_id = aws_api_gateway_rest_api.api.id
      stage_name  = aws_api_gateway_stage.prod.stage_name
      method_path = "*/*"
      settings {
        caching_enabled = true
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.apigateway.MethodSettings("all", {
        restApi: api.id, stageName: stage.stageName, methodPath: "*/*",
        settings: { cachingEnabled: true, cacheDataEncrypted: true },
    });

Terraform:

    resource "aws_api_gateway_method_settings" "all" {
      rest_api_id = aws_api_gateway_rest_api.api.id
      stage_name  = aws_api_gateway_stage.prod.stage_name
      method_path = "*/*"
      settings {
        caching_enabled      = true
        cache_data_encrypted = true
      }
    }"#,
        fix: "Set `settings: { cachingEnabled: true, cacheDataEncrypted: true }` (Pulumi) or `caching_enabled = true` and `cache_data_encrypted = true` in the `settings` block (Terraform); the stage needs a cache cluster (AWS-APIGATEWAY-001).",
        references: &[
            "Pulumi AWSGuard policy pack: apigateway-method-cached-and-encrypted — https://github.com/pulumi/pulumi-policy-aws",
            "Amazon API Gateway Developer Guide: Enable API caching — https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html",
            "AWS Security Hub: [APIGateway.5] API Gateway REST API cache data should be encrypted at rest — https://docs.aws.amazon.com/securityhub/latest/userguide/apigateway-controls.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let method = text(view, "methodPath")?.unwrap_or("*/*");
    let mut violations = Vec::new();
    for (camel, what) in [
        ("settings.cachingEnabled", "does not cache responses"),
        (
            "settings.cacheDataEncrypted",
            "does not encrypt cached responses",
        ),
    ] {
        if flag(view, camel)? != Some(true) {
            violations.push(
                Violation::new(format!(
                    "API Gateway method settings `{}` (`{method}`) {what}",
                    view.resource.name
                ))
                .at(at(view, camel)),
            );
        }
    }
    Ok(Verdict::from_violations(violations))
}
