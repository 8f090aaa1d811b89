//! PLATFORM-002: in a stack with the configured component, every S3 bucket is encrypted.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Spelling, StackFinding, StackView, Value,
    Violation,
};
use serde_json::json;

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{config_str, read, spelled, type_matches, uncovered, Coverage, Known};

const BUCKET: &str = "aws_s3_bucket";
const ENCRYPTION: &str = "aws_s3_bucket_server_side_encryption_configuration";

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "PLATFORM-002",
    name: "component-stack-buckets-encrypted",
    title: "Stacks with the platform component encrypt every S3 bucket",
    description: "When a stack contains the configured component type, every S3 bucket in it \
                  must have server-side encryption, inline or through a separate encryption \
                  configuration resource.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "platform",
    services: &["components", "s3"],
    topics: &["encryption", "data-protection"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "nist-800-53",
            controls: &["SC-28"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.24"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(a)(2)(iv)"],
        },
    ]),
    resource_types: &[
        "aws_s3_bucket",
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketV2:BucketV2",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    ],
    remediation: "Add a bucket server-side encryption configuration resource for each bucket \
                  (or the inline block on the bucket) with an `sse_algorithm` of `aws:kms` or \
                  `AES256`.",
    fix: FixSafety::None,
    config_schema: Some(schema),
    docs: RuleDocs {
        what: "A stack rule. It applies when the stack contains a resource whose type matches \
               `componentType` (a glob, by default `*:*:Microservice`) and at least one managed \
               S3 bucket (`aws_s3_bucket`, Pulumi `aws:s3/bucket:Bucket` or \
               `aws:s3/bucketV2:BucketV2`). Each bucket must then be encrypted, either inline — \
               `server_side_encryption_configuration.rule.apply_server_side_encryption_by_default.sse_algorithm` \
               (Pulumi `serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault.sseAlgorithm`, \
               or the plural list properties of provider v6 `BucketV2`) — or by an encryption \
               configuration resource (`aws_s3_bucket_server_side_encryption_configuration`, \
               Pulumi `aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2` \
               or, from provider v7, `aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration`) \
               whose rule sets an algorithm and which refers to the bucket. A configuration \
               refers to a bucket when its `bucket` equals the bucket's `bucket` name, its `id` \
               or its resource id; or when its `bucket` property comes from the bucket (Pulumi \
               property dependencies; in Terraform plans the references of the `bucket` \
               argument in the plan's configuration). Other dependencies (`depends_on`, other \
               arguments) never link; a configuration whose `bucket` is known only after apply \
               with nothing recorded about its source leaves the buckets it could cover \
               indeterminate. Each \
               unencrypted bucket is its own finding. A bucket whose encryption is known only \
               after apply makes that bucket indeterminate, \
               beside the findings on the others.",
        why: "Encryption at rest limits what a lost disk, a misdirected snapshot or a \
              mis-scoped storage credential can reveal, and with AWS KMS it adds a second, \
              audited permission in front of the data. Platform components that process \
              customer data are promised to their users with this guarantee; a bucket beside \
              them that stores data in the clear breaks the promise quietly.",
        noncompliant: r#"Pulumi (TypeScript):

    const api = new acme.Microservice("api", { image: "api:1.4" });
    const uploads = new aws.s3.BucketV2("uploads");

Terraform:

    resource "aws_s3_bucket" "uploads" {
      bucket = "acme-uploads"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const uploads = new aws.s3.BucketV2("uploads");
    new aws.s3.BucketServerSideEncryptionConfigurationV2("uploads", {
        bucket: uploads.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }],
    });

Terraform:

    resource "aws_s3_bucket" "uploads" {
      bucket = "acme-uploads"
    }

    resource "aws_s3_bucket_server_side_encryption_configuration" "uploads" {
      bucket = aws_s3_bucket.uploads.id
      rule {
        apply_server_side_encryption_by_default {
          sse_algorithm = "aws:kms"
        }
      }
    }"#,
        fix: "Terraform: add an `aws_s3_bucket_server_side_encryption_configuration` with \
              `bucket = aws_s3_bucket.<name>.id` and a `rule` whose \
              `apply_server_side_encryption_by_default` sets `sse_algorithm` (`aws:kms` with a \
              key of your own, or `AES256`). Pulumi: add an \
              `aws.s3.BucketServerSideEncryptionConfigurationV2` (provider v7: \
              `aws.s3.BucketServerSideEncryptionConfiguration`) with `bucket: bucket.id` and \
              `rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: \"aws:kms\" } }]`. \
              Older code may set the inline `serverSideEncryptionConfiguration` on the bucket.",
        references: &[
            "AWS: Protecting data with server-side encryption — https://docs.aws.amazon.com/AmazonS3/latest/userguide/serv-side-encryption.html",
            "NIST SP 800-53 Rev. 5: SC-28 Protection of Information at Rest; ISO/IEC 27001:2022: A.8.24 Use of cryptography; HIPAA Security Rule: 45 CFR 164.312(a)(2)(iv) Encryption and decryption",
        ],
    },
    check: Check::Stack(validate),
    source: file!(),
};

fn schema() -> serde_json::Value {
    json!({
        "type": "object",
        "properties": {
            "componentType": {
                "description": "Type glob of the component whose presence requires encrypted buckets.",
                "type": "string",
                "default": "*:*:Microservice"
            }
        }
    })
}

fn validate(view: StackView<'_>, config: &serde_json::Value) -> Result<Vec<StackFinding>, Halt> {
    let glob = config_str(config, "componentType")?;
    let Some(component) = view
        .resources()
        .find(|r| type_matches(glob, &r.resource.type_))
    else {
        return Ok(Vec::new());
    };
    let coverage = Coverage {
        target: BUCKET,
        names: &["bucket", "id"],
        companions: &[ENCRYPTION],
        key: "bucket",
        inline: &inline,
        companion: &sets_algorithm,
    };
    Ok(uncovered(view, &coverage, |bucket, _| {
        violation(bucket, component, glob)
    }))
}

fn violation(bucket: ResourceView<'_>, component: ResourceView<'_>, glob: &str) -> Violation {
    let spelling = bucket.resource.spelling;
    let separate = match spelling {
        Spelling::Pulumi => "an `aws.s3.BucketServerSideEncryptionConfigurationV2`",
        Spelling::Terraform => "an `aws_s3_bucket_server_side_encryption_configuration`",
    };
    let inline = spelled(spelling, "serverSideEncryptionConfiguration");
    Violation::new(format!(
        "S3 bucket `{}` has no server-side encryption, and this stack runs the component \
         `{}` (`{}`, matching `{glob}`), whose buckets must be encrypted: add {separate} for \
         it, or set `{inline}` on the bucket",
        bucket.resource.name, component.resource.name, component.resource.type_
    ))
    .at(inline)
}

/// Whether a value names an encryption algorithm: a non-empty string.
fn algorithm(found: Result<Option<&Value>, Halt>) -> Known {
    Known::from_result(
        found.map(|v| v.is_some_and(|v| v.as_str().is_some_and(|s| !s.trim().is_empty()))),
    )
}

fn inline(bucket: ResourceView<'_>) -> Known {
    Known::any([
        "serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault.sseAlgorithm",
        // Pulumi AWS provider v6 `BucketV2` spells the blocks as lists with plural names.
        "serverSideEncryptionConfigurations.rules.applyServerSideEncryptionByDefaults.sseAlgorithm",
    ]
    .map(|path| {
        algorithm(read(bucket, path))
    }))
}

fn sets_algorithm(config: ResourceView<'_>) -> Known {
    let spelling = config.resource.spelling;
    let mut results = Vec::new();
    for key in ["rule", "rules"] {
        match config.field(key) {
            Err(_) => results.push(Known::Unknown(spelled(spelling, key))),
            Ok(None) => {}
            Ok(Some(rules)) => {
                for (i, rule) in rules.items().enumerate() {
                    let path =
                        format!("{key}[{i}].applyServerSideEncryptionByDefault.sseAlgorithm");
                    results.push(algorithm(
                        rule.field("applyServerSideEncryptionByDefault.sseAlgorithm")
                            .map_err(|_| Halt::unknown(spelled(spelling, &path))),
                    ));
                }
            }
        }
    }
    Known::any(results)
}
