//! AWS-DYNAMODB-004: DynamoDB tables have deletion protection.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{expect_flag, fix_flag, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-DYNAMODB-004",
    name: "dynamodb-table-deletion-protection",
    title: "DynamoDB tables have deletion protection",
    description: "Without deletion protection a table and all its items can be deleted by one API \
                  call or one mistaken `destroy`.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["dynamodb"],
    topics: &["resilience", "backup"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "soc2",
            controls: &["A1.2"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["CM-3", "SC-5(2)"],
        },
    ]),
    resource_types: &[
        "aws_dynamodb_table",
        "aws:dynamodb/table:Table",
    ],
    remediation: "Set `deletion_protection_enabled = true` (Pulumi `deletionProtectionEnabled: \
                  true`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "DynamoDB tables (`aws_dynamodb_table`, Pulumi `aws:dynamodb/table:Table`): \
               `deletion_protection_enabled` (Pulumi `deletionProtectionEnabled`) must be true. \
               Absent means false. A value known only after apply is indeterminate. Under \
               `remediate` guardrail sets it.",
        why: "Deleting a table also deletes its point-in-time recovery history after the \
              retention window and is immediate; a renamed resource in code, a wrong workspace or \
              a compromised pipeline can do it. Deletion protection makes DynamoDB refuse until \
              the flag is turned off in a separate, reviewable change.",
        noncompliant: r#"Pulumi (TypeScript):

    const table = new aws.dynamodb.Table("orders", {
        hashKey: "pk",
        attributes: [{ name: "pk", type: "S" }],
    });

Terraform:

    resource "aws_dynamodb_table" "orders" {
      name                        = "orders"
      hash_key                    = "pk"
      deletion_protection_enabled = false
      attribute {
        name = "pk"
        type = "S"
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const table = new aws.dynamodb.Table("orders", {
        hashKey: "pk",
        attributes: [{ name: "pk", type: "S" }],
        deletionProtectionEnabled: true,
    });

Terraform:

    resource "aws_dynamodb_table" "orders" {
      name                        = "orders"
      hash_key                    = "pk"
      deletion_protection_enabled = true
      attribute {
        name = "pk"
        type = "S"
      }
    }"#,
        fix: "Pulumi: `deletionProtectionEnabled: true`; Terraform: `deletion_protection_enabled \
              = true`. Under `remediate` guardrail sets it (a safe fix: nothing changes until \
              someone tries to delete the table).",
        references: &[
            "AWS: Using deletion protection — https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithTables.Basics.html#WorkingWithTables.Basics.DeletionProtection",
            "AWS Security Hub: Amazon DynamoDB controls — https://docs.aws.amazon.com/securityhub/latest/userguide/dynamodb-controls.html (DynamoDB.6)",
            "NIST SP 800-53 Rev. 5: CM-3, SC-5(2); SOC 2: A1.2",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    expect_flag(
        view,
        "deletionProtectionEnabled",
        true,
        false,
        &format!("{} has no deletion protection", who(view, "DynamoDB table")),
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    fix_flag(view, "deletionProtectionEnabled", true, false)
}
