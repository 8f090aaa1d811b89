//! AWS-CLOUDFRONT-004: CloudFront distributions are protected by AWS WAF.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read, CLOUDFRONT_TYPES};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-CLOUDFRONT-004",
    name: "cloudfront-waf-enabled",
    title: "CloudFront distributions are protected by AWS WAF",
    description: "A web ACL on the distribution filters common web attacks, bad bots and \
                  request floods at the edge, before they reach the origin.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["cloudfront"],
    topics: &["network", "public-access", "vulnerability-management"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["6.4.2"] },
        Control { framework: "soc2", controls: &["CC6.6"] },
        Control { framework: "nist-800-53", controls: &["SC-7", "SI-4"] },
    ]),
    resource_types: CLOUDFRONT_TYPES,
    remediation: "Set `web_acl_id` to the ARN of a global (CLOUDFRONT-scope) WAFv2 web ACL.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_cloudfront_distribution` (Pulumi \
               `aws:cloudfront/distribution:Distribution`) must set `web_acl_id` (Pulumi \
               `webAclId`) to a non-empty value. Not set is a violation. A value known only \
               after apply (a web ACL created in the same change) passes, since any ACL \
               counts. Web ACLs attached by AWS Firewall Manager are not visible: exempt such \
               distributions.",
        why: "Distributions are public by design. AWS WAF in front of them blocks SQL \
              injection, cross-site scripting, known exploit payloads and abusive clients, and \
              rate-limits floods — protections PCI DSS 4.0 requires for public-facing web \
              applications and that can be updated centrally when a new attack appears.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.cloudfront.Distribution("site", { enabled: true, origins, defaultCacheBehavior, restrictions, viewerCertificate });

Terraform:

    resource "aws_cloudfront_distribution" "site" {
      enabled = true
      ...
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.cloudfront.Distribution("site", { enabled: true, webAclId: acl.arn, origins, defaultCacheBehavior, restrictions, viewerCertificate });

Terraform:

    resource "aws_cloudfront_distribution" "site" {
      enabled    = true
      web_acl_id = aws_wafv2_web_acl.edge.arn
      ...
    }"#,
        fix: "Create an `aws_wafv2_web_acl` with `scope = \"CLOUDFRONT\"` in us-east-1 (Pulumi \
              `aws.wafv2.WebAcl` with a us-east-1 provider) and set `web_acl_id = \
              aws_wafv2_web_acl.<name>.arn` (Pulumi `webAclId`).",
        references: &[
            "AWS: Use AWS WAF protections with CloudFront — https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/distribution-web-awswaf.html",
            "AWS Security Hub: [CloudFront.6] CloudFront distributions should have WAF enabled",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if view.props.get("webAclId").is_some_and(Value::is_unknown) {
        return Ok(Verdict::Pass);
    }
    let acl = read(view, "webAclId")?
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty());
    if acl.is_some() {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "distribution `{}` has no AWS WAF web ACL",
            view.resource.name
        ))
        .at(at(view, "webAclId")),
    ))
}
