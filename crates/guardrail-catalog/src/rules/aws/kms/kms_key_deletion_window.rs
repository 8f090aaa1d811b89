//! AWS-KMS-002: KMS keys keep a long enough deletion waiting period.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};
use serde_json::json;

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, config_int, number, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-KMS-002",
    name: "kms-key-deletion-window",
    title: "KMS keys keep a long enough deletion waiting period",
    description: "A short deletion window leaves little time to notice and cancel a mistaken or \
                  malicious key deletion, after which everything encrypted under the key is lost.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["kms"],
    topics: &["encryption", "resilience"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "iso27001",
            controls: &["A.8.24"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-12"],
        },
    ]),
    resource_types: &[
        "aws_kms_key",
        "aws:kms/key:Key",
    ],
    remediation: "Set `deletion_window_in_days` (Pulumi `deletionWindowInDays`) to at least the \
                  configured minimum (14 days by default), or leave it at AWS's 30.",
    fix: FixSafety::None,
    config_schema: Some(schema),
    docs: RuleDocs {
        what: "Customer-managed KMS keys (`aws_kms_key`, Pulumi `aws:kms/key:Key`): \
               `deletion_window_in_days` (Pulumi `deletionWindowInDays`) must be at least \
               `minimum_days` (default 14). Absent means AWS's default of 30 days and passes. A \
               value known only after apply is indeterminate.",
        why: "Deleting a KMS key is irreversible once the waiting period ends: data encrypted \
              under it — volumes, snapshots, backups, secrets — can never be decrypted again. The \
              waiting period is the only chance to notice a `destroy` in the wrong workspace or \
              an attacker's sabotage and to cancel it; 7 days passes over a holiday unnoticed.",
        noncompliant: r#"Pulumi (TypeScript):

    const key = new aws.kms.Key("orders", {
        description: "orders data key",
        deletionWindowInDays: 7,
    });

Terraform:

    resource "aws_kms_key" "orders" {
      description             = "orders data key"
      deletion_window_in_days = 7
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const key = new aws.kms.Key("orders", {
        description: "orders data key",
        deletionWindowInDays: 30,
    });

Terraform:

    resource "aws_kms_key" "orders" {
      description             = "orders data key"
      deletion_window_in_days = 30
    }"#,
        fix: "Pulumi: `deletionWindowInDays: 30` (or leave it out); Terraform: \
              `deletion_window_in_days = 30` (or leave it out). Alarm on `ScheduleKeyDeletion` \
              events in CloudTrail so that a scheduled deletion is seen within the window. \
              Configure the rule's `minimum_days` for a different policy.",
        references: &[
            "AWS: Deleting AWS KMS keys (waiting period) — https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html",
            "NIST SP 800-53 Rev. 5: SC-12; ISO/IEC 27001:2022: A.8.24",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn schema() -> serde_json::Value {
    json!({
        "type": "object",
        "properties": {
            "minimum_days": {
                "description": "The shortest acceptable deletion waiting period, in days (7 to 30).",
                "type": "integer",
                "minimum": 7,
                "maximum": 30,
                "default": 14
            }
        }
    })
}

fn validate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Verdict, Halt> {
    let minimum = config_int(config, "minimum_days", "a whole number of days")?;
    let Some(days) = number(view, "deletionWindowInDays")? else {
        return Ok(Verdict::Pass);
    };
    if days >= minimum {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} can be deleted after a waiting period of only {} (at least {minimum} required)",
            who(view, "KMS key"),
            guardrail_core::plural(days, "day", "days")
        ))
        .at(at(view, "deletionWindowInDays")),
    ))
}
