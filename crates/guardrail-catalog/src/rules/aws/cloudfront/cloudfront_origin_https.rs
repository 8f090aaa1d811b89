//! AWS-CLOUDFRONT-005: CloudFront reaches custom origins over HTTPS.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{cache_behaviours, join, origins, read_in, CLOUDFRONT_TYPES};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-CLOUDFRONT-005",
    name: "cloudfront-origin-https",
    title: "CloudFront reaches custom origins over HTTPS",
    description: "An origin protocol policy of `http-only` (or `match-viewer` while viewers may \
                  use HTTP) sends viewer requests and responses across the internet to the \
                  origin unencrypted.",
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
        Control { framework: "nist-800-53", controls: &["SC-8"] },
    ]),
    resource_types: CLOUDFRONT_TYPES,
    remediation: "Set `origin_protocol_policy = \"https-only\"` on custom origins.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Each `origin` of an `aws_cloudfront_distribution` (Pulumi \
               `aws:cloudfront/distribution:Distribution`, `origins[]`) with a \
               `custom_origin_config` (Pulumi `customOriginConfig`): `origin_protocol_policy` \
               (Pulumi `originProtocolPolicy`) `http-only` is a violation, and so is \
               `match-viewer` when any cache behaviour's `viewer_protocol_policy` is \
               `allow-all`. `https-only` passes, as do S3 origins. Values known only after \
               apply are indeterminate.",
        why: "Between the edge and a custom origin the traffic crosses the public internet. \
              Over HTTP, credentials, session cookies and personal data in requests and \
              responses can be read and modified on the way, however well the viewer side is \
              protected.",
        noncompliant: r#"Pulumi (TypeScript):

    origins: [{ originId: "api", domainName: "api.example.com",
        customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "http-only", originSslProtocols: ["TLSv1.2"] } }],

Terraform:

    origin {
      origin_id   = "api"
      domain_name = "api.example.com"
      custom_origin_config {
        http_port              = 80
        https_port             = 443
        origin_protocol_policy = "http-only"
        origin_ssl_protocols   = ["TLSv1.2"]
      }
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
        fix: "Serve the origin over HTTPS with a certificate valid for its domain and set \
              `origin_protocol_policy = \"https-only\"` (Pulumi `originProtocolPolicy: \
              \"https-only\"`).",
        references: &[
            "AWS: Require HTTPS for communication between CloudFront and your custom origin — https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-cloudfront-to-custom-origin.html",
            "AWS Security Hub: [CloudFront.9] CloudFront distributions should encrypt traffic to custom origins",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let spelling = view.resource.spelling;
    let mut viewers_http = false;
    for (path, behaviour) in cache_behaviours(view)? {
        let policy =
            read_in(behaviour, spelling, &path, "viewerProtocolPolicy")?.and_then(Value::as_str);
        viewers_http |= policy.is_some_and(|p| p.eq_ignore_ascii_case("allow-all"));
    }
    let mut violations = Vec::new();
    for (path, origin) in origins(view)? {
        let Some(custom) = read_in(origin, spelling, &path, "customOriginConfig")? else {
            continue;
        };
        let base = join(spelling, &path, "customOriginConfig");
        let policy =
            read_in(custom, spelling, &base, "originProtocolPolicy")?.and_then(Value::as_str);
        let id = read_in(origin, spelling, &path, "originId")?
            .and_then(Value::as_str)
            .unwrap_or("?");
        let plain = match policy {
            Some(p) if p.eq_ignore_ascii_case("http-only") => true,
            Some(p) if p.eq_ignore_ascii_case("match-viewer") => viewers_http,
            _ => false,
        };
        if plain {
            violations.push(
                Violation::new(format!(
                    "distribution `{}` reaches origin `{id}` over plain HTTP (`{}`)",
                    view.resource.name,
                    policy.unwrap_or_default()
                ))
                .at(join(spelling, &base, "originProtocolPolicy")),
            );
        }
    }
    Ok(Verdict::from_violations(violations))
}
