//! AWS-CLOUDFRONT-008: CloudFront distributions set a default root object.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read, CLOUDFRONT_TYPES};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-CLOUDFRONT-008",
    name: "cloudfront-default-root-object",
    title: "CloudFront distributions set a default root object",
    description: "Without a default root object a request for `/` is passed to the origin as \
                  is, which for S3 origins can return a listing of the bucket.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["cloudfront"],
    topics: &["public-access", "hygiene"],
    frameworks: Frameworks::Mapped(&[Control {
        framework: "nist-800-53",
        controls: &["CM-7"],
    }]),
    resource_types: CLOUDFRONT_TYPES,
    remediation: "Set `default_root_object` (for example `index.html`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_cloudfront_distribution` (Pulumi \
               `aws:cloudfront/distribution:Distribution`) must set a non-empty \
               `default_root_object` (Pulumi `defaultRootObject`); not set or empty is a \
               violation. A value known only after apply is indeterminate. Distributions in \
               front of APIs, whose root path is served by the application, can be exempted.",
        why: "When the root URL is requested without a default root object, CloudFront \
              forwards `/` to the origin. An S3 origin whose policy allows `s3:ListBucket` then \
              answers with the bucket's object listing, revealing every file name, including \
              ones never linked.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.cloudfront.Distribution("site", { enabled: true, origins, defaultCacheBehavior, restrictions, viewerCertificate });

Terraform:

    resource "aws_cloudfront_distribution" "site" {
      enabled = true
      ...
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.cloudfront.Distribution("site", { enabled: true, defaultRootObject: "index.html", origins, defaultCacheBehavior, restrictions, viewerCertificate });

Terraform:

    resource "aws_cloudfront_distribution" "site" {
      enabled             = true
      default_root_object = "index.html"
      ...
    }"#,
        fix: "Set `default_root_object = \"index.html\"` (Pulumi `defaultRootObject: \
              \"index.html\"`) or the object that should answer `/`.",
        references: &[
            "AWS: Specify a default root object — https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DefaultRootObject.html",
            "AWS Security Hub: [CloudFront.1] CloudFront distributions should have a default root object configured",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let root = read(view, "defaultRootObject")?
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty());
    if root.is_some() {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "distribution `{}` has no default root object",
            view.resource.name
        ))
        .at(at(view, "defaultRootObject")),
    ))
}
