//! AWS-DYNAMODB-002: DynamoDB tables are encrypted with a customer-managed KMS key.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, flag, text, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-DYNAMODB-002",
    name: "dynamodb-table-customer-managed-key",
    title: "DynamoDB tables are encrypted with a customer-managed KMS key",
    description: "Only a customer-managed key lets you write the key policy, rotate on your \
                  schedule, and revoke access to the table's data by disabling the key.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["dynamodb"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["3.6.1"],
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
            framework: "nist-800-53",
            controls: &["SC-12", "SC-28"],
        },
    ]),
    resource_types: &[
        "aws_dynamodb_table",
        "aws:dynamodb/table:Table",
    ],
    remediation: "Set `server_side_encryption { enabled = true, kms_key_arn = <customer key> }` \
                  (Pulumi `serverSideEncryption: { enabled: true, kmsKeyArn }`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "DynamoDB tables (`aws_dynamodb_table`, Pulumi `aws:dynamodb/table:Table`): \
               `server_side_encryption` (Pulumi `serverSideEncryption`) must be enabled with a \
               `kms_key_arn` (Pulumi `kmsKeyArn`) that is not the AWS-managed alias \
               `alias/aws/dynamodb`. A table on the AWS-owned or AWS-managed key is a violation. \
               Values known only after apply are indeterminate.",
        why: "AWS-managed keys have a fixed policy that trusts every principal in the account who \
              has DynamoDB access; you cannot narrow it, disable it, or share the table's backups \
              across accounts with it. A customer-managed key gives data owners that control, a \
              separate permission to decrypt, and an audit trail per key.",
        noncompliant: r#"Pulumi (TypeScript):

    const table = new aws.dynamodb.Table("orders", {
        hashKey: "pk",
        attributes: [{ name: "pk", type: "S" }],
        serverSideEncryption: { enabled: true },
    });

Terraform:

    resource "aws_dynamodb_table" "orders" {
      name     = "orders"
      hash_key = "pk"
      attribute {
        name = "pk"
        type = "S"
      }
      server_side_encryption {
        enabled = true
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const table = new aws.dynamodb.Table("orders", {
        hashKey: "pk",
        attributes: [{ name: "pk", type: "S" }],
        serverSideEncryption: { enabled: true, kmsKeyArn: dataKey.arn },
    });

Terraform:

    resource "aws_dynamodb_table" "orders" {
      name     = "orders"
      hash_key = "pk"
      attribute {
        name = "pk"
        type = "S"
      }
      server_side_encryption {
        enabled     = true
        kms_key_arn = aws_kms_key.data.arn
      }
    }"#,
        fix: "Create a KMS key whose policy allows DynamoDB use by the table's readers and \
              writers, then set Pulumi `serverSideEncryption: { enabled: true, kmsKeyArn: key.arn \
              }` or Terraform `server_side_encryption { enabled = true, kms_key_arn = \
              aws_kms_key.data.arn }`. DynamoDB re-encrypts online.",
        references: &[
            "AWS: DynamoDB encryption at rest: how it works — https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.howitworks.html",
            "NIST SP 800-53 Rev. 5: SC-12, SC-28; ISO/IEC 27001:2022: A.8.24; PCI DSS v4.0: 3.6.1",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let table = who(view, "DynamoDB table");
    let (message, at) = if flag(view, "serverSideEncryption.enabled")? != Some(true) {
        (
            format!("{table} uses the AWS-owned key, not a customer-managed KMS key"),
            at(view, "serverSideEncryption"),
        )
    } else {
        match text(view, "serverSideEncryption.kmsKeyArn")? {
            Some(key) if !key.ends_with("alias/aws/dynamodb") => return Ok(Verdict::Pass),
            _ => (
                format!("{table} uses the AWS-managed `aws/dynamodb` key, not a customer-managed KMS key"),
                at(view, "serverSideEncryption.kmsKeyArn"),
            ),
        }
    };
    Ok(Verdict::violation(Violation::new(message).at(at)))
}
