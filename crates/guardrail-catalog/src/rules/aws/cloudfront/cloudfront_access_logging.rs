//! AWS-CLOUDFRONT-003: CloudFront distributions write access logs.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read, text_in, CLOUDFRONT_TYPES};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-CLOUDFRONT-003",
    name: "cloudfront-access-logging",
    title: "CloudFront distributions write access logs",
    description: "Standard logs record every viewer request the distribution serves; without \
                  them attacks and abuse at the edge leave no trace.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["cloudfront"],
    topics: &["logging"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["10.2.1"] },
        Control { framework: "soc2", controls: &["CC7.2"] },
        Control { framework: "iso27001", controls: &["A.8.15"] },
        Control { framework: "hipaa", controls: &["164.312(b)"] },
        Control { framework: "nist-800-53", controls: &["AU-2", "AU-12"] },
    ]),
    resource_types: CLOUDFRONT_TYPES,
    remediation: "Add a `logging_config` with an S3 bucket.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_cloudfront_distribution` (Pulumi \
               `aws:cloudfront/distribution:Distribution`) must have a `logging_config` (Pulumi \
               `loggingConfig`) with a non-empty `bucket`. No block is a violation; a bucket \
               known only after apply is indeterminate. Logs delivered through CloudWatch \
               vended-log deliveries (standard logging v2, `aws_cloudwatch_log_delivery`) are \
               not seen by this rule: exempt distributions that use them.",
        why: "CloudFront is the front door of the site. Its logs show which clients requested \
              what, from where, with which result — the data needed to investigate \
              credential stuffing, scraping, injection attempts and cache abuse, and to prove \
              what was served.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.cloudfront.Distribution("site", { enabled: true, origins, defaultCacheBehavior, restrictions, viewerCertificate });

Terraform:

    resource "aws_cloudfront_distribution" "site" {
      enabled = true
      ...
    }"#,
        compliant: r#"Pulumi (TypeScript):

    loggingConfig: { bucket: logs.bucketDomainName, prefix: "cloudfront/site/", includeCookies: false },

Terraform:

    logging_config {
      bucket          = aws_s3_bucket.logs.bucket_domain_name
      prefix          = "cloudfront/site/"
      include_cookies = false
    }"#,
        fix: "Add `logging_config { bucket = <bucket domain name> }` (Pulumi `loggingConfig: { \
              bucket }`). The log bucket must have ACLs enabled (object ownership \
              `BucketOwnerPreferred`) for CloudFront standard logging.",
        references: &[
            "AWS: Configure standard logging — https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/AccessLogs.html",
            "AWS Security Hub: [CloudFront.5] CloudFront distributions should have logging enabled",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let base = at(view, "loggingConfig");
    if let Some(block) = read(view, "loggingConfig")? {
        if text_in(block, view.resource.spelling, &base, "bucket")?.is_some() {
            return Ok(Verdict::Pass);
        }
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "distribution `{}` does not write access logs",
            view.resource.name
        ))
        .at(base),
    ))
}
