//! AWS-RDS-004: RDS instances and DB clusters keep automated backups for at least a week.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};
use serde_json::json;

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, config_int, number, text, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-RDS-004",
    name: "rds-backup-retention-period",
    title: "RDS instances and DB clusters keep automated backups for at least a week",
    description: "Automated backups with a retention below the configured minimum (7 days by \
                  default), or turned off, leave too short a window to recover from corruption, \
                  mistakes or ransomware.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["rds"],
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
        "aws_db_instance",
        "aws:rds/instance:Instance",
        "aws_rds_cluster",
        "aws:rds/cluster:Cluster",
    ],
    remediation: "Set `backup_retention_period` (Pulumi `backupRetentionPeriod`) to at least 7 \
                  days.",
    fix: FixSafety::None,
    config_schema: Some(schema),
    docs: RuleDocs {
        what: "RDS database instances (`aws_db_instance`, Pulumi `aws:rds/instance:Instance`) and \
               DB clusters (`aws_rds_cluster`, Pulumi `aws:rds/cluster:Cluster`): \
               `backup_retention_period` (Pulumi `backupRetentionPeriod`) must be at least \
               `minimum_days` (default 7). 0 turns automated backups off and always violates. \
               Absent means the AWS default of 1 day and is a violation unless `minimum_days` is \
               1. Read replicas (`replicate_source_db` set) are not applicable: they are rebuilt \
               from their source. Aurora cluster instances carry no retention of their own. A \
               value known only after apply is indeterminate. This covers the AWSGuard \
               `rds-instance-backup-enabled` check (backups on, with a minimum in place of \
               AWSGuard's exact period).",
        why: "Automated backups are what point-in-time restore is made from. A one-day window \
              means a mistake noticed after the weekend, or slow-burning corruption, can no \
              longer be undone; with backups off there is no restore at all. Most frameworks \
              expect backups kept long enough to detect and recover from an incident.",
        noncompliant: r#"Pulumi (TypeScript):

    const db = new aws.rds.Instance("orders", {
        engine: "postgres",
        instanceClass: "db.t4g.medium",
        allocatedStorage: 50,
        backupRetentionPeriod: 1,
    });

Terraform:

    resource "aws_rds_cluster" "orders" {
      engine                  = "aurora-postgresql"
      master_username         = "appadmin"
      backup_retention_period = 1
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const db = new aws.rds.Instance("orders", {
        engine: "postgres",
        instanceClass: "db.t4g.medium",
        allocatedStorage: 50,
        backupRetentionPeriod: 14,
    });

Terraform:

    resource "aws_rds_cluster" "orders" {
      engine                  = "aurora-postgresql"
      master_username         = "appadmin"
      backup_retention_period = 14
    }"#,
        fix: "Pulumi: `backupRetentionPeriod: 7` or more; Terraform: `backup_retention_period = \
              7` or more (up to 35). Turning backups on for an instance that had them off (0 to a \
              positive value) causes a brief outage, so schedule it in a maintenance window \
              (`apply_immediately = false`). Configure the rule's `minimum_days` for a longer or \
              shorter policy.",
        references: &[
            "AWS: Introduction to backups — https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html",
            "AWS Security Hub: Amazon RDS controls — https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html (RDS.11)",
            "Pulumi AWSGuard: rds-instance-backup-enabled",
            "NIST SP 800-53 Rev. 5: CP-9; HIPAA: 164.308(a)(7)(ii)(A); ISO/IEC 27001:2022: A.8.13; SOC 2: A1.2",
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
                "description": "The shortest acceptable automated backup retention, in days.",
                "type": "integer",
                "minimum": 1,
                "maximum": 35,
                "default": 7
            }
        }
    })
}

/// AWS's retention when none is given.
const DEFAULT_DAYS: i64 = 1;

fn validate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Verdict, Halt> {
    let minimum = config_int(config, "minimum_days", "a whole number of days")?;
    if text(view, "replicateSourceDb")?.is_some() {
        return Ok(Verdict::not_applicable(
            "a read replica is rebuilt from its source instance",
        ));
    }
    let at = at(view, "backupRetentionPeriod");
    let (days, note) = match number(view, "backupRetentionPeriod")? {
        Some(days) => (days, format!("`{at}` is {days}")),
        None => (
            DEFAULT_DAYS,
            format!("`{at}` is not set and defaults to {DEFAULT_DAYS}"),
        ),
    };
    let noun = if view.resource.type_.contains("luster") {
        "DB cluster"
    } else {
        "RDS instance"
    };
    let message = if days <= 0 {
        format!(
            "{} has automated backups turned off ({note})",
            who(view, noun)
        )
    } else if days < minimum {
        format!(
            "{} keeps automated backups for {days} day{}, fewer than {minimum} ({note})",
            who(view, noun),
            if days == 1 { "" } else { "s" }
        )
    } else {
        return Ok(Verdict::Pass);
    };
    Ok(Verdict::violation(Violation::new(message).at(at)))
}
