//! AWS-S3-009: S3 bucket ACLs grant nothing to everyone or to all AWS users.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, canonical, items_at, read_first, read_in, read_inline};

/// Canned ACLs that open a bucket to everyone or to every AWS account.
const PUBLIC_CANNED: &[&str] = &["public-read", "public-read-write", "authenticated-read"];

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-S3-009",
    name: "s3-bucket-acl-not-public",
    title: "S3 bucket ACLs grant nothing to everyone or to all AWS users",
    description: "A public canned ACL or a grant to the `AllUsers` or `AuthenticatedUsers` group \
                  lets anyone on the internet (or any AWS account) list, read or write the \
                  bucket.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["s3"],
    topics: &["public-access", "least-privilege"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["7.2.1"] },
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.8.3"] },
        Control { framework: "hipaa", controls: &["164.312(a)(1)"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "AC-6"] },
    ]),
    resource_types: &[
        "aws_s3_bucket",
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketV2:BucketV2",
        "aws_s3_bucket_acl",
        "aws:s3/bucketAclV2:BucketAclV2",
        "aws:s3/bucketAcl:BucketAcl",
    ],
    remediation: "Use the `private` canned ACL (or disable ACLs with object ownership \
                  `BucketOwnerEnforced`) and remove grants to the AllUsers and \
                  AuthenticatedUsers groups.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "The `acl` of `aws_s3_bucket` (Pulumi `aws:s3/bucket:Bucket`, \
               `aws:s3/bucketV2:BucketV2`) and `aws_s3_bucket_acl` (Pulumi `BucketAclV2`, v7 \
               `BucketAcl`) must not be `public-read`, `public-read-write` or \
               `authenticated-read`; and no grant may name the group \
               `http://acs.amazonaws.com/groups/global/AllUsers` or `.../AuthenticatedUsers` — \
               the bucket's inline `grant` blocks (Pulumi `grants`, with `uri`) and the \
               `access_control_policy.grant[].grantee.uri` of a bucket ACL resource (Pulumi \
               `accessControlPolicy.grants[].grantee.uri`). Each public ACL or grant is a \
               violation. Values known only after apply are indeterminate; in Terraform plans an \
               inline bucket `acl`/`grant` the configuration leaves out counts as not \
               set.",
        why: "An S3 ACL grant to AllUsers publishes the bucket (or lets anyone write to it) \
              without any credentials; AuthenticatedUsers means every AWS account in the \
              world, not the accounts of your organisation. Public ACLs are behind many of the \
              best-known S3 data leaks.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.s3.BucketAclV2("data", { bucket: data.id, acl: "public-read" });

Terraform:

    resource "aws_s3_bucket_acl" "data" {
      bucket = aws_s3_bucket.data.id
      acl    = "public-read"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.s3.BucketAclV2("data", { bucket: data.id, acl: "private" });

Terraform:

    resource "aws_s3_bucket_acl" "data" {
      bucket = aws_s3_bucket.data.id
      acl    = "private"
    }"#,
        fix: "Set `acl` to `private` (Terraform and Pulumi alike) and delete grants to the \
              AllUsers and AuthenticatedUsers groups; better, remove the ACL resource and set \
              `aws_s3_bucket_ownership_controls` (Pulumi `aws.s3.BucketOwnershipControls`) to \
              `BucketOwnerEnforced`, which disables ACLs. Publish content through CloudFront \
              with origin access control instead of a public bucket.",
        references: &[
            "AWS: Access control list (ACL) overview — https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html",
            "PCI DSS v4.0: 7.2.1; NIST SP 800-53 Rev. 5: AC-3, AC-6; ISO/IEC 27001:2022: A.8.3; HIPAA: 164.312(a)(1); SOC 2: CC6.1",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn public_group(uri: &str) -> Option<&'static str> {
    let uri = uri.trim().to_ascii_lowercase();
    if uri.ends_with("/groups/global/allusers") {
        Some("AllUsers")
    } else if uri.ends_with("/groups/global/authenticatedusers") {
        Some("AuthenticatedUsers")
    } else {
        None
    }
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let spelling = view.resource.spelling;
    let bucket = canonical(&view) == "aws_s3_bucket";
    let name = &view.resource.name;
    let mut violations = Vec::new();
    let acl = if bucket {
        read_inline(view, "acl")?
    } else {
        crate::support::read(view, "acl")?
    };
    if let Some(acl) = acl.and_then(Value::as_str) {
        if PUBLIC_CANNED
            .iter()
            .any(|p| acl.trim().eq_ignore_ascii_case(p))
        {
            violations.push(
                Violation::new(format!("`{name}` uses the public canned ACL `{acl}`"))
                    .at(at(view, "acl")),
            );
        }
    }
    // (grant item, path of its URI's parent)
    let mut grants: Vec<(String, &Value)> = Vec::new();
    if bucket {
        for camel in ["grants", "grant"] {
            if let Some(list) = read_inline(view, camel)? {
                grants.extend(items_at(list, &at(view, camel))?);
                break;
            }
        }
    } else if let Some((policy, camel)) = read_first(view, &["accessControlPolicy"])? {
        let base = at(view, camel);
        for (path, policy) in items_at(policy, &base)? {
            for key in ["grants", "grant"] {
                if let Some(list) = read_in(policy, spelling, &path, key)? {
                    for (gpath, grant) in items_at(list, &format!("{path}.{}", at(view, key)))? {
                        if let Some(grantee) = read_in(grant, spelling, &gpath, "grantee")? {
                            grants.extend(items_at(grantee, &format!("{gpath}.grantee"))?);
                        }
                    }
                    break;
                }
            }
        }
    }
    for (path, grant) in grants {
        let Some(uri) = read_in(grant, spelling, &path, "uri")?.and_then(Value::as_str) else {
            continue;
        };
        if let Some(group) = public_group(uri) {
            violations.push(
                Violation::new(format!("`{name}` grants access to the {group} group"))
                    .at(format!("{path}.uri")),
            );
        }
    }
    Ok(Verdict::from_violations(violations))
}
