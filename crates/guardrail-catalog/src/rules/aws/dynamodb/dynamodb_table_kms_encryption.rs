//! AWS-DYNAMODB-001: DynamoDB tables are encrypted with a KMS key.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{required_block_flag_fix, required_flag_verdict};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-DYNAMODB-001",
    name: "dynamodb-table-kms-encryption",
    title: "DynamoDB tables are encrypted with a KMS key",
    description: "A table left on the default AWS-owned key is encrypted, but with a key you \
                  cannot see, audit or restrict; KMS encryption puts reads of the data behind a \
                  key policy and CloudTrail.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["dynamodb"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["3.5.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.24"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(a)(2)(iv)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-28"],
        },
    ]),
    resource_types: &[
        "aws_dynamodb_table",
        "aws:dynamodb/table:Table",
    ],
    remediation: "Enable `server_side_encryption` (Pulumi `serverSideEncryption: { enabled: true \
                  }`), optionally with a customer-managed `kms_key_arn`.",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "DynamoDB tables (`aws_dynamodb_table`, Pulumi `aws:dynamodb/table:Table`): \
               `server_side_encryption.enabled` (Pulumi `serverSideEncryption.enabled`) must be \
               true, which encrypts with the AWS-managed `aws/dynamodb` key or the \
               customer-managed key in `kms_key_arn`. A missing block or `enabled = false` means \
               the AWS-owned key and is a violation. A value known only after apply is \
               indeterminate. Under `remediate` guardrail enables the block (the AWS-managed \
               key). This covers the AWSGuard `dynamodb-table-encryption-enabled` check, more \
               strictly: AWSGuard fails only an explicit `enabled: false`.",
        why: "Every DynamoDB table is encrypted at rest, but with the default AWS-owned key no \
              key policy limits who can read the data and no KMS event shows that it was read. \
              With a KMS key the table's data can only be decrypted by principals the key allows, \
              access is logged, and the key can be disabled to cut off all reads in an incident.",
        noncompliant: r#"Pulumi (TypeScript):

    const table = new aws.dynamodb.Table("orders", {
        billingMode: "PAY_PER_REQUEST",
        hashKey: "pk",
        attributes: [{ name: "pk", type: "S" }],
    });

Terraform:

    resource "aws_dynamodb_table" "orders" {
      name         = "orders"
      billing_mode = "PAY_PER_REQUEST"
      hash_key     = "pk"
      attribute {
        name = "pk"
        type = "S"
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const table = new aws.dynamodb.Table("orders", {
        billingMode: "PAY_PER_REQUEST",
        hashKey: "pk",
        attributes: [{ name: "pk", type: "S" }],
        serverSideEncryption: { enabled: true, kmsKeyArn: dataKey.arn },
    });

Terraform:

    resource "aws_dynamodb_table" "orders" {
      name         = "orders"
      billing_mode = "PAY_PER_REQUEST"
      hash_key     = "pk"
      attribute {
        name = "pk"
        type = "S"
      }
      server_side_encryption {
        enabled     = true
        kms_key_arn = aws_kms_key.data.arn
      }
    }"#,
        fix: "Pulumi: `serverSideEncryption: { enabled: true }` (add `kmsKeyArn` for a \
              customer-managed key); Terraform: a `server_side_encryption { enabled = true }` \
              block (with `kms_key_arn`). Switching keys happens online without downtime. Under \
              `remediate` guardrail adds the block with the AWS-managed key, which changes no \
              access for principals in the account (a safe fix); KMS request charges apply.",
        references: &[
            "AWS: DynamoDB encryption at rest — https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html",
            "Pulumi AWSGuard: dynamodb-table-encryption-enabled",
            "PCI DSS v4.0: 3.5.1; HIPAA: 164.312(a)(2)(iv); NIST SP 800-53 Rev. 5: SC-28; ISO/IEC 27001:2022: A.8.24",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    required_flag_verdict(
        view,
        "serverSideEncryption.enabled",
        "serverSideEncryption",
        "DynamoDB table",
        "is encrypted only with the AWS-owned key",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    required_block_flag_fix(view, "serverSideEncryption", "enabled")
}
