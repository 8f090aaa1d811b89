//! AWS-S3-010: S3 bucket policies do not allow everyone without a narrowing condition.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{
    at, canonical, condition_keys, effect_is, json_object_document, principal_is_everyone, read,
    read_inline, statement_texts, statements,
};

/// Condition keys that tie a statement to a network, an organisation, an account or a caller,
/// so a `*` principal is no longer everyone.
const NARROWING: &[&str] = &[
    "aws:sourceip",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:userid",
    "aws:username",
    "aws:principalservicename",
    "s3:dataaccesspointaccount",
    "s3:dataaccesspointarn",
];

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-S3-010",
    name: "s3-bucket-policy-not-public",
    title: "S3 bucket policies do not allow access to everyone",
    description: "A bucket policy statement that allows `Principal: \"*\"` without a condition \
                  on the caller's network, organisation or account makes the bucket public.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["s3"],
    topics: &["public-access", "least-privilege", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["7.2.1"] },
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.8.3"] },
        Control { framework: "hipaa", controls: &["164.312(a)(1)"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "AC-6"] },
    ]),
    resource_types: &[
        "aws_s3_bucket_policy",
        "aws:s3/bucketPolicy:BucketPolicy",
        "aws_s3_bucket",
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketV2:BucketV2",
    ],
    remediation: "Name the principals that need access, or add a condition on \
                  `aws:PrincipalOrgID`, `aws:SourceVpce`, `aws:SourceIp` or a similar key.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "The `policy` of `aws_s3_bucket_policy` (Pulumi `aws:s3/bucketPolicy:BucketPolicy`) \
               and the inline `policy` of `aws_s3_bucket` (Pulumi `aws:s3/bucket:Bucket`, \
               `aws:s3/bucketV2:BucketV2`), a JSON string or object. Each statement with \
               `Effect` `Allow` and a principal of everyone (`\"*\"`, `{\"AWS\": \"*\"}`) is a \
               violation unless its `Condition` tests a key that narrows the caller: \
               `aws:SourceIp`, `aws:SourceVpc`, `aws:SourceVpce`, `aws:SourceArn`, \
               `aws:SourceAccount`, `aws:SourceOrgID`, `aws:PrincipalOrgID`, \
               `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:userid`, `aws:username`, \
               `s3:DataAccessPointAccount`, `s3:DataAccessPointArn` and similar (a condition \
               such as `aws:SecureTransport` alone does not narrow). A policy known only after \
               apply is indeterminate; text that is not JSON passes (AWS would reject it). In \
               Terraform plans an inline bucket `policy` shown as known only after apply counts \
               as not set.",
        why: "`Principal: \"*\"` means anyone, signed or anonymous. Combined with `Allow` on \
              `s3:GetObject` it publishes every object; with `s3:PutObject` it lets strangers \
              store content on your bill and under your name. Block Public Access catches \
              many of these at apply time, but only where it is configured.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.s3.BucketPolicy("data", {
        bucket: data.id,
        policy: JSON.stringify({ Version: "2012-10-17", Statement: [{
            Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::acme-data/*",
        }] }),
    });

Terraform:

    resource "aws_s3_bucket_policy" "data" {
      bucket = aws_s3_bucket.data.id
      policy = jsonencode({ Version = "2012-10-17", Statement = [{
        Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-data/*"
      }] })
    }"#,
        compliant: r#"Pulumi (TypeScript):

    policy: JSON.stringify({ Version: "2012-10-17", Statement: [{
        Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::acme-data/*",
        Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
    }] })

Terraform:

    policy = jsonencode({ Version = "2012-10-17", Statement = [{
      Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/app" },
      Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-data/*"
    }] })"#,
        fix: "Replace `\"*\"` with the role or account ARNs that need access, or keep `\"*\"` \
              and add a `Condition` on `aws:PrincipalOrgID` (your organisation), \
              `aws:SourceVpce` (your VPC endpoint) or `aws:SourceIp`. For public websites, \
              serve the bucket through CloudFront with origin access control and allow only \
              the `cloudfront.amazonaws.com` service principal with an `aws:SourceArn` \
              condition.",
        references: &[
            "AWS: The meaning of \"public\" for S3 Block Public Access — https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status",
            "AWS: IAM JSON policy elements: Principal — https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let policy = if canonical(&view) == "aws_s3_bucket" {
        read_inline(view, "policy")?
    } else {
        read(view, "policy")?
    };
    let Some(doc) = policy.and_then(json_object_document) else {
        return Ok(Verdict::Pass);
    };
    // a document held in a secret is secret in every part: its Sid and actions show masked
    let doc = doc.tainted_if(view.props.secret_at(&at(view, "policy")));
    let mut violations = Vec::new();
    for (i, stmt) in statements(&doc).into_iter().enumerate() {
        if !effect_is(stmt, "Allow") || !principal_is_everyone(stmt) {
            continue;
        }
        let narrowed = condition_keys(stmt)
            .iter()
            .any(|k| NARROWING.iter().any(|n| n.eq_ignore_ascii_case(k)));
        if narrowed {
            continue;
        }
        let actions = statement_texts(stmt, "Action").join("`, `");
        let label = stmt
            .get("Sid")
            .filter(|sid| sid.as_str().is_some())
            .map_or_else(
                || format!("statement {i}"),
                |sid| format!("statement `{}`", sid.shown()),
            );
        violations.push(
            Violation::new(format!(
                "the policy of `{}` allows everyone (`Principal: \"*\"`) `{actions}` in {label} \
                 without a condition that narrows the caller",
                view.resource.name
            ))
            .at(at(view, "policy")),
        );
    }
    Ok(Verdict::from_violations(violations))
}
