//! AWS-CLOUDFRONT-009: CloudFront reaches S3 origins with origin access control.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{join, origins, read_in, text_in, CLOUDFRONT_TYPES};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-CLOUDFRONT-009",
    name: "cloudfront-s3-origin-access-control",
    title: "CloudFront reaches S3 origins with origin access control",
    description: "An S3 origin without origin access control (or a legacy origin access \
                  identity) only works if the bucket is public, so its content can be fetched \
                  around CloudFront.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["cloudfront", "s3"],
    topics: &["public-access", "least-privilege"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.8.3"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "AC-6"] },
    ]),
    resource_types: CLOUDFRONT_TYPES,
    remediation: "Create an `aws_cloudfront_origin_access_control` and set \
                  `origin_access_control_id` on the S3 origin.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Each S3 origin of an `aws_cloudfront_distribution` (Pulumi \
               `aws:cloudfront/distribution:Distribution`, `origins[]`) — one with an \
               `s3_origin_config` block, or without `custom_origin_config` whose `domain_name` \
               is an S3 REST endpoint (`.s3.` or `.s3-` within `amazonaws.com`) — must set \
               `origin_access_control_id` (Pulumi `originAccessControlId`) or, legacy, \
               `s3_origin_config.origin_access_identity` (Pulumi \
               `s3OriginConfig.originAccessIdentity`). S3 website endpoints are custom origins \
               and are not checked. Ids known only after apply (created in the same change) \
               count as set.",
        why: "With origin access control the bucket stays private and only this distribution \
              can read it, signed with SigV4 — which also works with SSE-KMS. Without it the \
              bucket has to be public, so visitors can bypass CloudFront's WAF, geo \
              restrictions, signed URLs and logging by fetching objects straight from S3.",
        noncompliant: r#"Pulumi (TypeScript):

    origins: [{ originId: "site", domainName: bucket.bucketRegionalDomainName }],

Terraform:

    origin {
      origin_id   = "site"
      domain_name = aws_s3_bucket.site.bucket_regional_domain_name
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const oac = new aws.cloudfront.OriginAccessControl("site", {
        originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4",
    });
    origins: [{ originId: "site", domainName: bucket.bucketRegionalDomainName, originAccessControlId: oac.id }],

Terraform:

    origin {
      origin_id                = "site"
      domain_name              = aws_s3_bucket.site.bucket_regional_domain_name
      origin_access_control_id = aws_cloudfront_origin_access_control.site.id
    }"#,
        fix: "Create `aws_cloudfront_origin_access_control` (Pulumi \
              `aws.cloudfront.OriginAccessControl`) with `signing_behavior = \"always\"`, set \
              `origin_access_control_id` on the origin, allow the `cloudfront.amazonaws.com` \
              service principal in the bucket policy with an `AWS:SourceArn` condition on the \
              distribution, and block public access on the bucket.",
        references: &[
            "AWS: Restrict access to an Amazon S3 origin — https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html",
            "AWS Security Hub: [CloudFront.13] CloudFront distributions should use origin access control",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn s3_endpoint(domain: &str) -> bool {
    let d = domain.to_ascii_lowercase();
    d.ends_with(".amazonaws.com")
        && (d.contains(".s3.") || d.contains(".s3-"))
        && !d.contains("s3-website")
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let spelling = view.resource.spelling;
    let mut violations = Vec::new();
    for (path, origin) in origins(view)? {
        if read_in(origin, spelling, &path, "customOriginConfig")?.is_some() {
            continue;
        }
        let s3_config = read_in(origin, spelling, &path, "s3OriginConfig")?;
        let domain = read_in(origin, spelling, &path, "domainName")?.and_then(Value::as_str);
        if s3_config.is_none() && !domain.is_some_and(s3_endpoint) {
            continue;
        }
        let oac = origin
            .get("originAccessControlId")
            .is_some_and(Value::is_unknown)
            || text_in(origin, spelling, &path, "originAccessControlId")?.is_some();
        let oai = match s3_config {
            Some(cfg) => {
                cfg.get("originAccessIdentity")
                    .is_some_and(Value::is_unknown)
                    || text_in(
                        cfg,
                        spelling,
                        &join(spelling, &path, "s3OriginConfig"),
                        "originAccessIdentity",
                    )?
                    .is_some()
            }
            None => false,
        };
        if oac || oai {
            continue;
        }
        let id = read_in(origin, spelling, &path, "originId")?
            .and_then(Value::as_str)
            .unwrap_or("?");
        violations.push(
            Violation::new(format!(
                "distribution `{}` reads S3 origin `{id}` without origin access control",
                view.resource.name
            ))
            .at(join(spelling, &path, "originAccessControlId")),
        );
    }
    Ok(Verdict::from_violations(violations))
}
