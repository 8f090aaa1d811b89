//! AWS-DYNAMODB-003: DynamoDB tables have point-in-time recovery.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{required_block_flag_fix, required_flag_verdict};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-DYNAMODB-003",
    name: "dynamodb-table-point-in-time-recovery",
    title: "DynamoDB tables have point-in-time recovery",
    description: "Point-in-time recovery keeps continuous backups for up to 35 days, so a table \
                  can be restored to any second before an accidental write, delete or corruption.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["dynamodb"],
    topics: &["backup", "resilience"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "soc2",
            controls: &["A1.2"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.13"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.308(a)(7)(ii)(A)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["CP-9"],
        },
    ]),
    resource_types: &[
        "aws_dynamodb_table",
        "aws:dynamodb/table:Table",
    ],
    remediation: "Enable `point_in_time_recovery { enabled = true }` (Pulumi \
                  `pointInTimeRecovery: { enabled: true }`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "DynamoDB tables (`aws_dynamodb_table`, Pulumi `aws:dynamodb/table:Table`): \
               `point_in_time_recovery.enabled` (Pulumi `pointInTimeRecovery.enabled`) must be \
               true. A missing block or `enabled = false` is a violation. A value known only \
               after apply is indeterminate. Under `remediate` guardrail enables it.",
        why: "Application bugs, bad migrations and compromised credentials can overwrite or \
              delete items in seconds. Without point-in-time recovery the only way back is an \
              on-demand backup that someone remembered to take; with it, the table can be \
              restored to the moment before the damage.",
        noncompliant: r#"Pulumi (TypeScript):

    const table = new aws.dynamodb.Table("orders", {
        hashKey: "pk",
        attributes: [{ name: "pk", type: "S" }],
    });

Terraform:

    resource "aws_dynamodb_table" "orders" {
      name     = "orders"
      hash_key = "pk"
      attribute {
        name = "pk"
        type = "S"
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const table = new aws.dynamodb.Table("orders", {
        hashKey: "pk",
        attributes: [{ name: "pk", type: "S" }],
        pointInTimeRecovery: { enabled: true },
    });

Terraform:

    resource "aws_dynamodb_table" "orders" {
      name     = "orders"
      hash_key = "pk"
      attribute {
        name = "pk"
        type = "S"
      }
      point_in_time_recovery {
        enabled = true
      }
    }"#,
        fix: "Pulumi: `pointInTimeRecovery: { enabled: true }`; Terraform: \
              `point_in_time_recovery { enabled = true }`. It is enabled online and billed by \
              table size. Under `remediate` guardrail enables it (a safe fix).",
        references: &[
            "AWS: Point-in-time recovery for DynamoDB — https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Point-in-time-recovery.html",
            "AWS Security Hub: Amazon DynamoDB controls — https://docs.aws.amazon.com/securityhub/latest/userguide/dynamodb-controls.html (DynamoDB.2)",
            "NIST SP 800-53 Rev. 5: CP-9; HIPAA: 164.308(a)(7)(ii)(A); ISO/IEC 27001:2022: A.8.13; SOC 2: A1.2",
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
        "pointInTimeRecovery.enabled",
        "pointInTimeRecovery",
        "DynamoDB table",
        "has no point-in-time recovery",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    required_block_flag_fix(view, "pointInTimeRecovery", "enabled")
}
