//! AWS-CLOUDFRONT-011: CloudFront custom certificates are served with SNI.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read, with, CLOUDFRONT_TYPES};

const PATH: &str = "viewerCertificate.sslSupportMethod";

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-CLOUDFRONT-011",
    name: "cloudfront-sni-only",
    title: "CloudFront custom certificates are served with SNI",
    description: "Serving a custom certificate from dedicated IP addresses (`vip`) costs $600 \
                  a month per distribution and only helps clients too old to be safe.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["cloudfront"],
    topics: &["tls", "cost"],
    frameworks: Frameworks::None {
        reason: "a cost and hygiene setting: the clients that need dedicated-IP TLS predate SNI \
                 and the protocols frameworks accept",
    },
    resource_types: CLOUDFRONT_TYPES,
    remediation: "Set `ssl_support_method = \"sni-only\"`.",
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_cloudfront_distribution` (Pulumi \
               `aws:cloudfront/distribution:Distribution`) whose `viewer_certificate` sets \
               `ssl_support_method` (Pulumi `sslSupportMethod`) to `vip` is a violation; \
               `sni-only` and `static-ip` pass, and distributions on the default certificate \
               set none. A value known only after apply is indeterminate.",
        why: "Every browser and HTTP client of the last decade sends SNI. Dedicated IP \
              addresses exist for clients from before 2010, which also lack TLS 1.2 and modern \
              ciphers; keeping them working means keeping weak settings around, at a high \
              monthly price.",
        noncompliant: r#"Pulumi (TypeScript):

    viewerCertificate: { acmCertificateArn: cert.arn, sslSupportMethod: "vip", minimumProtocolVersion: "TLSv1.2_2021" },

Terraform:

    viewer_certificate {
      acm_certificate_arn      = aws_acm_certificate.site.arn
      ssl_support_method       = "vip"
      minimum_protocol_version = "TLSv1.2_2021"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    viewerCertificate: { acmCertificateArn: cert.arn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" },

Terraform:

    viewer_certificate {
      acm_certificate_arn      = aws_acm_certificate.site.arn
      ssl_support_method       = "sni-only"
      minimum_protocol_version = "TLSv1.2_2021"
    }"#,
        fix: "Set `ssl_support_method = \"sni-only\"` (Pulumi `sslSupportMethod: \"sni-only\"`). \
              Under `remediate` guardrail does so; the fix is unsafe because clients without \
              SNI support can no longer connect.",
        references: &[
            "AWS: Use SNI to serve HTTPS requests — https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-https-dedicated-ip-or-sni.html",
            "AWS Security Hub: [CloudFront.8] CloudFront distributions should use SNI to serve HTTPS requests",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

fn vip(view: ResourceView<'_>) -> Result<bool, Halt> {
    Ok(read(view, PATH)?
        .and_then(Value::as_str)
        .is_some_and(|m| m.eq_ignore_ascii_case("vip")))
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if !vip(view)? {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "distribution `{}` serves its certificate from dedicated IP addresses (`vip`)",
            view.resource.name
        ))
        .at(at(view, PATH)),
    ))
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if !vip(view)? {
        return Ok(None);
    }
    Ok(Some(with(view, PATH, Value::string("sni-only"))))
}
