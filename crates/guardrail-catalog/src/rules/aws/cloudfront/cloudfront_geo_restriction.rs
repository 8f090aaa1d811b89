//! AWS-CLOUDFRONT-007: CloudFront distributions restrict viewer geography.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read, CLOUDFRONT_TYPES};

const PATH: &str = "restrictions.geoRestriction.restrictionType";

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-CLOUDFRONT-007",
    name: "cloudfront-geo-restriction",
    title: "CloudFront distributions restrict viewer geography",
    description: "An allow list or deny list of countries reduces exposure to regions the \
                  service does not serve and helps meet export and sanctions rules.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["cloudfront"],
    topics: &["network", "public-access"],
    frameworks: Frameworks::None {
        reason: "an optional hardening measure; whether geography should be restricted is a \
                 business decision that frameworks leave to the organisation",
    },
    resource_types: CLOUDFRONT_TYPES,
    remediation: "Set `restrictions.geo_restriction.restriction_type` to `whitelist` or \
                  `blacklist` with the countries concerned.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_cloudfront_distribution` (Pulumi \
               `aws:cloudfront/distribution:Distribution`): \
               `restrictions.geo_restriction.restriction_type` (Pulumi \
               `restrictions.geoRestriction.restrictionType`) `none` or not set is a \
               violation; `whitelist` and `blacklist` pass. Low severity and advisory: an \
               optional control, worth selecting for services with a known audience. A value \
               known only after apply is indeterminate.",
        why: "Services that only serve some countries gain little from being reachable \
              everywhere and attract automated abuse from regions they never serve. Sanctions \
              and export rules may also forbid serving certain countries.",
        noncompliant: r#"Pulumi (TypeScript):

    restrictions: { geoRestriction: { restrictionType: "none" } },

Terraform:

    restrictions {
      geo_restriction {
        restriction_type = "none"
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    restrictions: { geoRestriction: { restrictionType: "whitelist", locations: ["DE", "FR", "NL"] } },

Terraform:

    restrictions {
      geo_restriction {
        restriction_type = "whitelist"
        locations        = ["DE", "FR", "NL"]
      }
    }"#,
        fix: "Set `restriction_type = \"whitelist\"` with the ISO country codes served, or \
              `\"blacklist\"` with those excluded (Pulumi `restrictionType`, `locations`). \
              Where worldwide access is intended, disable this rule for the stack.",
        references: &[
            "AWS: Restrict the geographic distribution of your content — https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/georestrictions.html",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let kind = read(view, PATH)?.and_then(Value::as_str);
    if kind.is_some_and(|k| !k.eq_ignore_ascii_case("none")) {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "distribution `{}` serves every country (no geo restriction)",
            view.resource.name
        ))
        .at(at(view, PATH)),
    ))
}
