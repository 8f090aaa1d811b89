//! AWS-CLOUDFRONT-006: CloudFront does not offer deprecated SSL/TLS versions to origins.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{join, origins, read_in, CLOUDFRONT_TYPES};

/// Protocols CloudFront can offer to origins that are deprecated.
const DEPRECATED: &[&str] = &["SSLv3", "TLSv1", "TLSv1.1"];

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-CLOUDFRONT-006",
    name: "cloudfront-origin-ssl-protocols",
    title: "CloudFront does not offer deprecated SSL/TLS versions to custom origins",
    description: "Allowing SSLv3, TLS 1.0 or 1.1 between CloudFront and the origin lets the \
                  connection be negotiated down to broken protocols.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["cloudfront"],
    topics: &["tls", "encryption"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["4.2.1"] },
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "nist-800-53", controls: &["SC-8", "SC-13"] },
    ]),
    resource_types: CLOUDFRONT_TYPES,
    remediation: "Set `origin_ssl_protocols = [\"TLSv1.2\"]` on custom origins.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Each `origin` of an `aws_cloudfront_distribution` (Pulumi \
               `aws:cloudfront/distribution:Distribution`, `origins[]`) with a \
               `custom_origin_config`: its `origin_ssl_protocols` (Pulumi `originSslProtocols`) \
               must not contain `SSLv3`, `TLSv1` or `TLSv1.1`; one violation per origin naming \
               them. Values known only after apply are indeterminate.",
        why: "CloudFront uses the newest protocol both sides support, but an attacker between \
              CloudFront and the origin can interfere with the handshake; listing SSLv3 \
              (POODLE) or TLS 1.0/1.1 keeps those attacks possible. Origins that need them are \
              due for an upgrade anyway.",
        noncompliant: r#"Pulumi (TypeScript):

    customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["SSLv3", "TLSv1", "TLSv1.2"] },

Terraform:

    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["SSLv3", "TLSv1", "TLSv1.2"]
    }"#,
        compliant: r#"Pulumi (TypeScript):

    customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] },

Terraform:

    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }"#,
        fix: "Set `origin_ssl_protocols = [\"TLSv1.2\"]` (Pulumi `originSslProtocols: \
              [\"TLSv1.2\"]`) after making sure the origin supports TLS 1.2.",
        references: &[
            "AWS: Supported protocols and ciphers between CloudFront and the origin — https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-ciphers-cloudfront-to-origin.html",
            "AWS Security Hub: [CloudFront.10] CloudFront distributions should not use deprecated SSL protocols between edge locations and custom origins",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let spelling = view.resource.spelling;
    let mut violations = Vec::new();
    for (path, origin) in origins(view)? {
        let Some(custom) = read_in(origin, spelling, &path, "customOriginConfig")? else {
            continue;
        };
        let base = join(spelling, &path, "customOriginConfig");
        let Some(protocols) = read_in(custom, spelling, &base, "originSslProtocols")? else {
            continue;
        };
        let list_path = join(spelling, &base, "originSslProtocols");
        let mut old = Vec::new();
        for item in protocols.items() {
            if item.is_unknown() {
                return Err(Halt::unknown(list_path));
            }
            if let Some(p) = item.as_str().filter(|p| DEPRECATED.contains(p)) {
                old.push(format!("`{p}`"));
            }
        }
        if !old.is_empty() {
            let id = read_in(origin, spelling, &path, "originId")?
                .and_then(Value::as_str)
                .unwrap_or("?");
            violations.push(
                Violation::new(format!(
                    "distribution `{}` offers {} to origin `{id}`",
                    view.resource.name,
                    crate::support::join_words(&old)
                ))
                .at(list_path),
            );
        }
    }
    Ok(Verdict::from_violations(violations))
}
