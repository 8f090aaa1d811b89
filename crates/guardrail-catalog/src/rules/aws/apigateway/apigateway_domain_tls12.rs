//! AWS-APIGATEWAY-007: API Gateway custom domains require TLS 1.2

use crate::support::{at, text};
use guardrail_core::{
    canonical_type, Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-APIGATEWAY-007",
    name: "apigateway-domain-tls12",
    title: "API Gateway custom domain names require TLS 1.2 or later",
    description: "A custom domain with the `TLS_1_0` security policy accepts TLS 1.0 and 1.1, which are deprecated and weak.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["apigateway"],
    topics: &["tls", "encryption"],
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
            controls: &["A.8.24"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(e)(1)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-8", "SC-13"],
        },
    ]),
    resource_types: &[
        "aws_api_gateway_domain_name",
        "aws:apigateway/domainName:DomainName",
        "aws_apigatewayv2_domain_name",
        "aws:apigatewayv2/domainName:DomainName",
    ],
    remediation: "Set `security_policy = \"TLS_1_2\"` (or a newer enhanced policy).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "REST API custom domains (`aws_api_gateway_domain_name`, Pulumi `aws:apigateway/domainName:DomainName`) by `security_policy` (Pulumi `securityPolicy`), and HTTP/WebSocket API custom domains (`aws_apigatewayv2_domain_name`, Pulumi `aws:apigatewayv2/domainName:DomainName`) by `domain_name_configuration.security_policy`. `TLS_1_0` is a violation; not set is a violation too, since older domains default to TLS 1.0 — set it explicitly. `TLS_1_2` and the newer enhanced policies (`SecurityPolicy_TLS13_...`, `SecurityPolicy_TLS12_...`) pass. A policy known only after apply is indeterminate.",
        why: "TLS 1.0 and 1.1 have known weaknesses (BEAST, weak ciphers, SHA-1 based handshakes) and are prohibited for cardholder data by PCI DSS; browsers and most clients dropped them years ago. Keeping them only helps downgrade attacks. AWS Security Hub and Checkov both check this setting.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.apigateway.DomainName("api", { domainName: "api.example.com", regionalCertificateArn: cert.arn, securityPolicy: "TLS_1_0" });

Terraform:

    resource "aws_api_gateway_domain_name" "api" {
      domain_name              = "api.example.com"
      regional_certificate_arn = aws_acm_certificate.api.arn
      security_policy          = "TLS_1_0"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.apigateway.DomainName("api", { domainName: "api.example.com", regionalCertificateArn: cert.arn, securityPolicy: "TLS_1_2" });

Terraform:

    resource "aws_api_gateway_domain_name" "api" {
      domain_name              = "api.example.com"
      regional_certificate_arn = aws_acm_certificate.api.arn
      security_policy          = "TLS_1_2"
    }"#,
        fix: "Set `securityPolicy: \"TLS_1_2\"` (Pulumi) or `security_policy = \"TLS_1_2\"` (Terraform); for HTTP APIs set it in `domainNameConfiguration` / `domain_name_configuration`. Check first, from access logs or client inventories, that no client still needs TLS 1.0.",
        references: &[
            "Amazon API Gateway Developer Guide: Choose a security policy for your custom domain — https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html",
            "PCI DSS v4.0: 4.2.1",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let key = if canonical_type(&view.resource.type_) == "aws_apigatewayv2_domain_name" {
        "domainNameConfiguration.securityPolicy"
    } else {
        "securityPolicy"
    };
    let policy = text(view, key)?;
    let message = match policy {
        Some(p) if !p.trim().eq_ignore_ascii_case("TLS_1_0") => return Ok(Verdict::Pass),
        Some(p) => format!(
            "API Gateway domain `{}` accepts TLS 1.0 (`{p}`); use `TLS_1_2`",
            view.resource.name
        ),
        None => format!(
            "API Gateway domain `{}` does not set a TLS security policy; set `TLS_1_2`",
            view.resource.name
        ),
    };
    Ok(Verdict::violation(
        Violation::new(message).at(at(view, key)),
    ))
}
