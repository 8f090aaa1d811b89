//! AWS-CLOUDFRONT-010: CloudFront distributions fail over between origins.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, items_of, CLOUDFRONT_TYPES};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-CLOUDFRONT-010",
    name: "cloudfront-origin-failover",
    title: "CloudFront distributions fail over between origins",
    description: "An origin group with a primary and a secondary origin keeps the site up when \
                  one origin or its region fails.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["cloudfront"],
    topics: &["resilience"],
    frameworks: Frameworks::Mapped(&[Control {
        framework: "nist-800-53",
        controls: &["CP-10"],
    }]),
    resource_types: CLOUDFRONT_TYPES,
    remediation: "Add an `origin_group` with two origins and failover status codes, and route \
                  behaviours to it.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_cloudfront_distribution` (Pulumi \
               `aws:cloudfront/distribution:Distribution`) must declare at least one \
               `origin_group` (Pulumi `originGroups`). None is a violation; a list known only \
               after apply is indeterminate. Low severity and advisory: single-origin \
               distributions are common and fine where the origin is itself highly available.",
        why: "Without failover, a bucket deleted by mistake, a regional outage or an origin \
              returning 5xx takes the whole site down, although CloudFront could retry \
              another origin within the same request.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.cloudfront.Distribution("site", { enabled: true, origins: [primary], defaultCacheBehavior, restrictions, viewerCertificate });

Terraform:

    resource "aws_cloudfront_distribution" "site" {
      origin { origin_id = "primary" ... }
      ...
    }"#,
        compliant: r#"Pulumi (TypeScript):

    originGroups: [{ originId: "site", failoverCriteria: { statusCodes: [500, 502, 503, 504] },
        members: [{ originId: "primary" }, { originId: "secondary" }] }],

Terraform:

    origin_group {
      origin_id = "site"
      failover_criteria {
        status_codes = [500, 502, 503, 504]
      }
      member { origin_id = "primary" }
      member { origin_id = "secondary" }
    }"#,
        fix: "Add a second origin (a replicated bucket in another region), an `origin_group` \
              (Pulumi `originGroups`) with both as members and `failover_criteria`, and point \
              the cache behaviours' `target_origin_id` at the group.",
        references: &[
            "AWS: Optimize high availability with CloudFront origin failover — https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/high_availability_origin_failover.html",
            "AWS Security Hub: [CloudFront.4] CloudFront distributions should have origin failover configured",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if !items_of(view, &["originGroups", "originGroup"])?.is_empty() {
        return Ok(Verdict::Pass);
    }
    let key = match view.resource.spelling {
        guardrail_core::Spelling::Pulumi => "originGroups",
        guardrail_core::Spelling::Terraform => "originGroup",
    };
    Ok(Verdict::violation(
        Violation::new(format!(
            "distribution `{}` has no origin group to fail over to",
            view.resource.name
        ))
        .at(at(view, key)),
    ))
}
