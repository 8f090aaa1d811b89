//! AWS-SECRETSMANAGER-002: Secrets Manager rotation runs at least every 90 days.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};
use serde_json::json;

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, config_int, number, text, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-SECRETSMANAGER-002",
    name: "secretsmanager-rotation-interval",
    title: "Secrets Manager rotation runs at least every 90 days",
    description: "A rotation schedule longer than the configured maximum (90 days by default) \
                  leaves credentials valid for too long after a leak.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["secretsmanager"],
    topics: &["secrets", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "soc2",
            controls: &["CC6.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.5.17"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["IA-5"],
        },
    ]),
    resource_types: &[
        "aws_secretsmanager_secret_rotation",
        "aws:secretsmanager/secretRotation:SecretRotation",
    ],
    remediation: "Set `rotation_rules.automatically_after_days` (Pulumi \
                  `rotationRules.automaticallyAfterDays`) to 90 or fewer, or a \
                  `schedule_expression` such as `rate(30 days)`.",
    fix: FixSafety::None,
    config_schema: Some(schema),
    docs: RuleDocs {
        what: "Secret rotations (`aws_secretsmanager_secret_rotation`, Pulumi \
               `aws:secretsmanager/secretRotation:SecretRotation`): the interval in \
               `rotation_rules` (Pulumi `rotationRules`) must be at most `maximum_days` (default \
               90). The interval is `automatically_after_days` (Pulumi `automaticallyAfterDays`), \
               or a `schedule_expression` (Pulumi `scheduleExpression`) of the form `rate(N \
               days)` or `rate(N hours)`; a `cron(...)` expression whose month field is `*` or \
               `?` runs at least monthly and passes, other cron expressions cannot be judged and \
               are not applicable. Rotations without either are violations. Values known only \
               after apply are indeterminate.",
        why: "Rotation only limits exposure if it happens often enough. Yearly rotation leaves a \
              leaked credential usable for months; PCI DSS and most internal policies expect \
              credentials changed at least every 90 days.",
        noncompliant: r#"Pulumi (TypeScript):

    const rotation = new aws.secretsmanager.SecretRotation("orders-db", {
        secretId: secret.id,
        rotationLambdaArn: rotateFn.arn,
        rotationRules: { automaticallyAfterDays: 365 },
    });

Terraform:

    resource "aws_secretsmanager_secret_rotation" "orders_db" {
      secret_id           = aws_secretsmanager_secret.orders_db.id
      rotation_lambda_arn = aws_lambda_function.rotate.arn
      rotation_rules {
        automatically_after_days = 365
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const rotation = new aws.secretsmanager.SecretRotation("orders-db", {
        secretId: secret.id,
        rotationLambdaArn: rotateFn.arn,
        rotationRules: { scheduleExpression: "rate(30 days)" },
    });

Terraform:

    resource "aws_secretsmanager_secret_rotation" "orders_db" {
      secret_id           = aws_secretsmanager_secret.orders_db.id
      rotation_lambda_arn = aws_lambda_function.rotate.arn
      rotation_rules {
        automatically_after_days = 30
      }
    }"#,
        fix: "Pulumi: `rotationRules: { automaticallyAfterDays: 30 }` or `{ scheduleExpression: \
              \"rate(30 days)\" }`; Terraform: `rotation_rules { automatically_after_days = 30 }` \
              or `schedule_expression = \"rate(30 days)\"`. Configure the rule's `maximum_days` \
              for a different policy.",
        references: &[
            "AWS: Rotation schedules — https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_schedule.html",
            "AWS Security Hub: AWS Secrets Manager controls — https://docs.aws.amazon.com/securityhub/latest/userguide/secretsmanager-controls.html (SecretsManager.4)",
            "NIST SP 800-53 Rev. 5: IA-5; ISO/IEC 27001:2022: A.5.17; SOC 2: CC6.1",
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
            "maximum_days": {
                "description": "The longest acceptable interval between rotations, in days.",
                "type": "integer",
                "minimum": 1,
                "default": 90
            }
        }
    })
}

/// The interval a schedule expression gives, in days (rounded up); `Err` with a reason when it
/// cannot be judged.
fn schedule_days(expression: &str) -> Result<i64, String> {
    let expression = expression.trim();
    if let Some(inner) = expression
        .strip_prefix("rate(")
        .and_then(|r| r.strip_suffix(')'))
    {
        let mut words = inner.split_whitespace();
        let count: Option<i64> = words.next().and_then(|n| n.parse().ok());
        return match (count, words.next()) {
            (Some(n), Some(unit)) if unit.starts_with("day") => Ok(n),
            (Some(n), Some(unit)) if unit.starts_with("hour") => Ok((n + 23) / 24),
            _ => Err(format!(
                "schedule `{expression}` is not a rate this rule understands"
            )),
        };
    }
    if let Some(inner) = expression
        .strip_prefix("cron(")
        .and_then(|r| r.strip_suffix(')'))
    {
        let fields: Vec<&str> = inner.split_whitespace().collect();
        if let Some(month) = fields.get(3) {
            if *month == "*" || *month == "?" {
                return Ok(31);
            }
        }
        return Err(format!(
            "schedule `{expression}` runs on selected months only"
        ));
    }
    Err(format!(
        "schedule `{expression}` is not a rate or cron expression"
    ))
}

fn validate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Verdict, Halt> {
    let maximum = config_int(config, "maximum_days", "a whole number of days")?;
    let rotation = who(view, "secret rotation");
    let (days, at) = if let Some(days) = number(view, "rotationRules.automaticallyAfterDays")? {
        (days, at(view, "rotationRules.automaticallyAfterDays"))
    } else if let Some(expression) = text(view, "rotationRules.scheduleExpression")? {
        match schedule_days(expression) {
            Ok(days) => (days, at(view, "rotationRules.scheduleExpression")),
            Err(reason) => return Ok(Verdict::not_applicable(reason)),
        }
    } else {
        return Ok(Verdict::violation(
            Violation::new(format!("{rotation} has no rotation schedule"))
                .at(at(view, "rotationRules")),
        ));
    };
    if days <= maximum {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "{rotation} rotates every {}, less often than every {}",
            guardrail_core::plural(days, "day", "days"),
            guardrail_core::plural(maximum, "day", "days")
        ))
        .at(at),
    ))
}
