//! AWS-RDS-011: RDS instances and DB clusters export database logs to CloudWatch Logs.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, engine, string_list, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-RDS-011",
    name: "rds-log-exports-enabled",
    title: "RDS instances and DB clusters export database logs to CloudWatch Logs",
    description: "Database logs (errors, audit, slow queries, PostgreSQL logs) exported to \
                  CloudWatch Logs survive the instance, can be searched and alarmed on, and are \
                  kept as long as you decide.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["rds"],
    topics: &["logging"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["10.2.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC7.2"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.15"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(b)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AU-2", "AU-12"],
        },
    ]),
    resource_types: &[
        "aws_db_instance",
        "aws:rds/instance:Instance",
        "aws_rds_cluster",
        "aws:rds/cluster:Cluster",
    ],
    remediation: "List the engine's log types in `enabled_cloudwatch_logs_exports` (Pulumi \
                  `enabledCloudwatchLogsExports`), e.g. `[\"postgresql\"]` or `[\"audit\", \
                  \"error\", \"general\", \"slowquery\"]`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "RDS database instances (`aws_db_instance`, Pulumi `aws:rds/instance:Instance`) \
               that are not Aurora members and DB clusters (`aws_rds_cluster`, Pulumi \
               `aws:rds/cluster:Cluster`): `enabled_cloudwatch_logs_exports` (Pulumi \
               `enabledCloudwatchLogsExports`) must list at least one log type. Absent or empty \
               is a violation. Read replicas (`replicate_source_db` set) are checked like any \
               instance. A list or item known only after apply is indeterminate. Which log types \
               to export depends on the engine: `postgresql` (and `upgrade`) for PostgreSQL, \
               `audit`, `error`, `general`, `slowquery` for MySQL and MariaDB, `alert`, `audit`, \
               `listener`, `trace` for Oracle, `agent`, `error` for SQL Server.",
        why: "Without exported logs, failed logins, permission errors, crashes and the queries \
              behind an incident exist only in the instance's short local log rotation, readable \
              only through the RDS console and lost when the instance is deleted. Investigations \
              and audit requirements need them centrally, retained and searchable.",
        noncompliant: r#"Pulumi (TypeScript):

    const db = new aws.rds.Instance("orders", {
        engine: "postgres",
        instanceClass: "db.t4g.medium",
        allocatedStorage: 50,
    });

Terraform:

    resource "aws_rds_cluster" "orders" {
      engine          = "aurora-mysql"
      master_username = "appadmin"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const db = new aws.rds.Instance("orders", {
        engine: "postgres",
        instanceClass: "db.t4g.medium",
        allocatedStorage: 50,
        enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
    });

Terraform:

    resource "aws_rds_cluster" "orders" {
      engine                          = "aurora-mysql"
      master_username                 = "appadmin"
      enabled_cloudwatch_logs_exports = ["audit", "error", "slowquery"]
    }"#,
        fix: "Pulumi: `enabledCloudwatchLogsExports: [...]`; Terraform: \
              `enabled_cloudwatch_logs_exports = [...]`, with the engine's log types. For audit \
              logs on MySQL-family engines also enable the audit plugin (`server_audit_logging` \
              in an option or parameter group); for PostgreSQL set `log_statement`/`pgaudit` in \
              the parameter group. Give the resulting `/aws/rds/...` log groups a retention \
              period.",
        references: &[
            "AWS: Publishing database logs to Amazon CloudWatch Logs — https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.Procedural.UploadtoCloudWatch.html",
            "AWS Security Hub: Amazon RDS controls — https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html (RDS.9, RDS.34, RDS.36, RDS.37)",
            "PCI DSS v4.0: 10.2.1; HIPAA: 164.312(b); NIST SP 800-53 Rev. 5: AU-2, AU-12; ISO/IEC 27001:2022: A.8.15",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let member = !view.resource.type_.contains("luster")
        && engine(view)?.is_some_and(|e| e.starts_with("aurora"));
    if member {
        return Ok(Verdict::not_applicable(
            "Aurora logs are exported by the cluster",
        ));
    }
    if !string_list(view, "enabledCloudwatchLogsExports")?.is_empty() {
        return Ok(Verdict::Pass);
    }
    let at = at(view, "enabledCloudwatchLogsExports");
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} exports no database logs to CloudWatch Logs (`{at}` is empty)",
            who(view, "database")
        ))
        .at(at),
    ))
}
