//! AWS-SECRETSMANAGER-004: Secrets Manager secrets keep a recovery window on deletion.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, number, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-SECRETSMANAGER-004",
    name: "secretsmanager-secret-recovery-window",
    title: "Secrets Manager secrets keep a recovery window on deletion",
    description: "`recovery_window_in_days = 0` deletes a secret immediately and for good, with \
                  no chance to restore a credential that systems still need.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["secretsmanager"],
    topics: &["secrets", "resilience"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "soc2",
            controls: &["A1.2"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["CP-9", "CM-3"],
        },
    ]),
    resource_types: &[
        "aws_secretsmanager_secret",
        "aws:secretsmanager/secret:Secret",
    ],
    remediation: "Remove `recovery_window_in_days = 0` (Pulumi `recoveryWindowInDays: 0`) or set \
                  7 to 30 days.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Secrets Manager secrets (`aws_secretsmanager_secret`, Pulumi \
               `aws:secretsmanager/secret:Secret`): `recovery_window_in_days` (Pulumi \
               `recoveryWindowInDays`) must not be 0, which makes deletion immediate and \
               permanent. Absent means AWS's 30 days and passes. A value known only after apply \
               is indeterminate.",
        why: "A secret deleted by mistake — a refactoring that renames the resource, a wrong \
              workspace — takes every system that reads it down with it. With a recovery window \
              the secret can be restored with one call; with 0 it has to be recreated and every \
              credential it held rotated.",
        noncompliant: r#"Pulumi (TypeScript):

    const secret = new aws.secretsmanager.Secret("orders-db", {
        name: "orders/db",
        recoveryWindowInDays: 0,
    });

Terraform:

    resource "aws_secretsmanager_secret" "orders_db" {
      name                    = "orders/db"
      recovery_window_in_days = 0
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const secret = new aws.secretsmanager.Secret("orders-db", {
        name: "orders/db",
        recoveryWindowInDays: 30,
    });

Terraform:

    resource "aws_secretsmanager_secret" "orders_db" {
      name                    = "orders/db"
      recovery_window_in_days = 30
    }"#,
        fix: "Pulumi: remove `recoveryWindowInDays` or set it to 7 to 30; Terraform: remove \
              `recovery_window_in_days` or set it to 7 to 30. Ephemeral test stacks that need to \
              recreate a secret under the same name right away can be exempted.",
        references: &[
            "AWS: Delete an AWS Secrets Manager secret — https://docs.aws.amazon.com/secretsmanager/latest/userguide/manage_delete-secret.html",
            "NIST SP 800-53 Rev. 5: CP-9, CM-3; SOC 2: A1.2",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    match number(view, "recoveryWindowInDays")? {
        Some(0) => Ok(Verdict::violation(
            Violation::new(format!(
                "{} is deleted immediately and permanently (`{}` is 0)",
                who(view, "Secrets Manager secret"),
                at(view, "recoveryWindowInDays")
            ))
            .at(at(view, "recoveryWindowInDays")),
        )),
        _ => Ok(Verdict::Pass),
    }
}
