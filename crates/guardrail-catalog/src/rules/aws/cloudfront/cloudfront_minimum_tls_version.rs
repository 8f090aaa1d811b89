//! AWS-CLOUDFRONT-002: CloudFront requires TLS 1.2 or newer from viewers.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read, CLOUDFRONT_TYPES};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-CLOUDFRONT-002",
    name: "cloudfront-minimum-tls-version",
    title: "CloudFront requires TLS 1.2 or newer from viewers",
    description: "The viewer certificate's minimum protocol version decides the oldest TLS a \
                  client may use; it must be a TLS 1.2 (or 1.3) security policy.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["cloudfront"],
    topics: &["tls", "encryption"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["4.2.1"] },
        Control { framework: "soc2", controls: &["CC6.7"] },
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "hipaa", controls: &["164.312(e)(1)"] },
        Control { framework: "nist-800-53", controls: &["SC-8", "SC-13"] },
    ]),
    resource_types: CLOUDFRONT_TYPES,
    remediation: "Use a custom certificate with `minimum_protocol_version = \"TLSv1.2_2021\"`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "The `viewer_certificate` of an `aws_cloudfront_distribution` (Pulumi \
               `aws:cloudfront/distribution:Distribution`, `viewerCertificate`): with \
               `cloudfront_default_certificate = true` CloudFront accepts TLS 1.0 whatever is \
               configured, a violation; otherwise `minimum_protocol_version` (Pulumi \
               `minimumProtocolVersion`) must start with `TLSv1.2` or `TLSv1.3` \
               (`TLSv1.2_2021` and newer recommended); `SSLv3`, `TLSv1`, `TLSv1_2016`, \
               `TLSv1.1_2016` or no value (default `TLSv1`) are violations. Values known only \
               after apply are indeterminate.",
        why: "TLS 1.0 and 1.1 are deprecated (RFC 8996) and not accepted as strong \
              cryptography by PCI DSS; allowing them lets an attacker on the path push clients \
              to weak ciphers. The `*.cloudfront.net` default certificate cannot enforce a \
              minimum, so production sites need their own certificate.",
        noncompliant: r#"Pulumi (TypeScript):

    viewerCertificate: { cloudfrontDefaultCertificate: true },

Terraform:

    viewer_certificate {
      acm_certificate_arn      = aws_acm_certificate.site.arn
      ssl_support_method       = "sni-only"
      minimum_protocol_version = "TLSv1"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    viewerCertificate: { acmCertificateArn: cert.arn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" },

Terraform:

    viewer_certificate {
      acm_certificate_arn      = aws_acm_certificate.site.arn
      ssl_support_method       = "sni-only"
      minimum_protocol_version = "TLSv1.2_2021"
    }"#,
        fix: "Issue an ACM certificate in us-east-1 for the site's domain, set \
              `acm_certificate_arn`, `ssl_support_method = \"sni-only\"` and \
              `minimum_protocol_version = \"TLSv1.2_2021\"` (Pulumi `acmCertificateArn`, \
              `sslSupportMethod`, `minimumProtocolVersion`), and drop \
              `cloudfront_default_certificate`.",
        references: &[
            "AWS: Supported protocols and ciphers between viewers and CloudFront — https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html",
            "RFC 8996: Deprecating TLS 1.0 and TLS 1.1",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let name = &view.resource.name;
    let default_cert = read(view, "viewerCertificate.cloudfrontDefaultCertificate")?
        .and_then(Value::as_bool)
        == Some(true);
    if default_cert {
        return Ok(Verdict::violation(
            Violation::new(format!(
                "distribution `{name}` uses the default CloudFront certificate, which accepts TLS 1.0"
            ))
            .at(at(view, "viewerCertificate.cloudfrontDefaultCertificate")),
        ));
    }
    let version = read(view, "viewerCertificate.minimumProtocolVersion")?.and_then(Value::as_str);
    let modern = version.is_some_and(|v| v.starts_with("TLSv1.2") || v.starts_with("TLSv1.3"));
    if modern {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "distribution `{name}` accepts viewer TLS versions before 1.2 (minimum `{}`)",
            version.unwrap_or("TLSv1")
        ))
        .at(at(view, "viewerCertificate.minimumProtocolVersion")),
    ))
}
