//! AWS-S3-008: every S3 bucket policy denies requests that do not use TLS.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, StackFinding, StackView, Value, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{
    at, effect_is, json_object_document, principal_is_everyone, read, read_inline,
    statement_strings, statements, uncovered, Coverage, Known, BUCKET_NAMES, S3_BUCKET,
};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-S3-008",
    name: "s3-bucket-tls-only",
    title: "S3 bucket policies deny requests without TLS",
    description: "A bucket accepts plain-HTTP requests unless its policy denies them; every \
                  bucket needs a policy statement that denies `aws:SecureTransport = false`.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["s3"],
    topics: &["tls", "encryption"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-aws", controls: &["2.1.1"] },
        Control { framework: "pci-dss", controls: &["4.2.1"] },
        Control { framework: "soc2", controls: &["CC6.7"] },
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "hipaa", controls: &["164.312(e)(1)"] },
        Control { framework: "nist-800-53", controls: &["SC-8"] },
    ]),
    resource_types: &[
        "aws_s3_bucket",
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketV2:BucketV2",
        "aws_s3_bucket_policy",
        "aws:s3/bucketPolicy:BucketPolicy",
    ],
    remediation: "Add a bucket policy statement that denies `s3:*` to every principal when \
                  `aws:SecureTransport` is false.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "A stack rule over every managed S3 bucket (`aws_s3_bucket`, Pulumi \
               `aws:s3/bucket:Bucket`, `aws:s3/bucketV2:BucketV2`). The bucket's policy — its \
               inline `policy`, or the `policy` of an `aws_s3_bucket_policy` (Pulumi \
               `aws:s3/bucketPolicy:BucketPolicy`) that refers to it by `bucket` value, property \
               dependency (Pulumi) or dependency (Terraform, when the value is known only after \
               apply) — must contain a statement with `Effect` `Deny`, `Principal` `*` (or \
               `{\"AWS\": \"*\"}`), an `Action` of `s3:*` or `*`, and a `Bool` or `BoolIfExists` \
               condition `aws:SecureTransport` = `false`. Policies are JSON strings \
               (`jsonencode`, `JSON.stringify`) or objects. Each bucket without such a statement \
               is a finding on the bucket; a policy known only after apply makes that bucket indeterminate, \
               beside the findings on the others. In Terraform plans an inline setting shown as known only after apply counts as not \
               set: the provider computes these deprecated bucket arguments when the \
               configuration leaves them out.",
        why: "S3 serves both HTTP and HTTPS endpoints. A client misconfigured to use `http://`, \
              or an attacker who can downgrade the connection, sends credentials-signed \
              requests and object data in clear text. Only a bucket policy can refuse such \
              requests; the CIS AWS Foundations Benchmark asks for it on every bucket.",
        noncompliant: r#"Pulumi (TypeScript):

    const data = new aws.s3.BucketV2("data");

Terraform:

    resource "aws_s3_bucket" "data" {
      bucket = "acme-data"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.s3.BucketPolicy("data", {
        bucket: data.id,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [{
                Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*",
                Resource: [data.arn, pulumi.interpolate`${data.arn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            }],
        }),
    });

Terraform:

    resource "aws_s3_bucket_policy" "data" {
      bucket = aws_s3_bucket.data.id
      policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Sid       = "DenyInsecureTransport"
          Effect    = "Deny"
          Principal = "*"
          Action    = "s3:*"
          Resource  = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]
          Condition = { Bool = { "aws:SecureTransport" = "false" } }
        }]
      })
    }"#,
        fix: "Add the deny statement shown above to the bucket's policy: in Terraform an \
              `aws_s3_bucket_policy` (or a `data.aws_iam_policy_document` statement with \
              `effect = \"Deny\"` and a `condition` on `aws:SecureTransport`), in Pulumi an \
              `aws.s3.BucketPolicy`. A bucket has one policy: merge the statement into an \
              existing policy rather than adding a second resource.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 2.1.1 Ensure S3 Bucket Policy is set to deny HTTP requests",
            "AWS: How can I use a bucket policy to require encryption in transit — https://repost.aws/knowledge-center/s3-bucket-policy-for-config-rule",
            "PCI DSS v4.0: 4.2.1; NIST SP 800-53 Rev. 5: SC-8; HIPAA: 164.312(e)(1); SOC 2: CC6.7; ISO/IEC 27001:2022: A.8.24",
        ],
    },
    check: Check::Stack(validate),
    source: file!(),
};

/// Whether a policy value denies insecure transport.
fn denies_http(policy: Option<&Value>) -> bool {
    let Some(doc) = policy.and_then(json_object_document) else {
        return false;
    };
    statements(&doc).into_iter().any(|stmt| {
        let actions = statement_strings(stmt, "Action");
        effect_is(stmt, "Deny")
            && principal_is_everyone(stmt)
            && actions
                .iter()
                .any(|a| *a == "*" || a.eq_ignore_ascii_case("s3:*"))
            && secure_transport_false(stmt)
    })
}

fn secure_transport_false(stmt: &Value) -> bool {
    let Some(Value::Object(operators)) = stmt.get("Condition").map(Value::reveal) else {
        return false;
    };
    operators.iter().any(|(op, tests)| {
        let boolean = op.eq_ignore_ascii_case("Bool") || op.eq_ignore_ascii_case("BoolIfExists");
        boolean
            && matches!(tests.reveal(), Value::Object(tests) if tests.iter().any(|(k, v)| {
                k.eq_ignore_ascii_case("aws:SecureTransport")
                    && v.items().any(|v| v.as_bool() == Some(false))
            }))
    })
}

fn inline(view: ResourceView<'_>) -> Known {
    match read_inline(view, "policy") {
        Ok(policy) => {
            if denies_http(policy) {
                Known::Yes
            } else {
                Known::No
            }
        }
        Err(halt) => Known::from_result(Err(halt)),
    }
}

fn policy_of(view: ResourceView<'_>) -> Known {
    match read(view, "policy") {
        Ok(policy) => {
            if denies_http(policy) {
                Known::Yes
            } else {
                Known::No
            }
        }
        Err(halt) => Known::from_result(Err(halt)),
    }
}

fn validate(view: StackView<'_>, _config: &serde_json::Value) -> Result<Vec<StackFinding>, Halt> {
    let coverage = Coverage {
        target: S3_BUCKET,
        names: BUCKET_NAMES,
        companions: &["aws_s3_bucket_policy"],
        key: "bucket",
        inline: &inline,
        companion: &policy_of,
    };
    Ok(uncovered(view, &coverage, |bucket, referred| {
        Violation::new(format!(
            "S3 bucket `{}` {}: add a statement that denies `s3:*` to `*` when \
             `aws:SecureTransport` is `false`",
            bucket.resource.name,
            if referred {
                "has a bucket policy that does not deny requests without TLS"
            } else {
                "has no bucket policy denying requests without TLS"
            }
        ))
        .at(at(bucket, "policy"))
    }))
}
