//! AWS-RDS-010: RDS and Aurora instances have Enhanced Monitoring.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, number, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-RDS-010",
    name: "rds-enhanced-monitoring-enabled",
    title: "RDS and Aurora instances have Enhanced Monitoring",
    description: "Enhanced Monitoring reports operating-system metrics of the database host \
                  (processes, memory, I/O) at up to one-second granularity, which CloudWatch's \
                  hypervisor metrics do not show.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["rds"],
    topics: &["monitoring"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "soc2",
            controls: &["CC7.2"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.16"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SI-4"],
        },
    ]),
    resource_types: &[
        "aws_db_instance",
        "aws:rds/instance:Instance",
        "aws_rds_cluster_instance",
        "aws:rds/clusterInstance:ClusterInstance",
    ],
    remediation: "Set `monitoring_interval` (Pulumi `monitoringInterval`) to 1, 5, 10, 15, 30 or \
                  60 seconds and `monitoring_role_arn` to a role with \
                  `AmazonRDSEnhancedMonitoringRole`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "RDS database instances (`aws_db_instance`, Pulumi `aws:rds/instance:Instance`) and \
               Aurora cluster instances (`aws_rds_cluster_instance`, Pulumi \
               `aws:rds/clusterInstance:ClusterInstance`): `monitoring_interval` (Pulumi \
               `monitoringInterval`) must be greater than 0. Absent means 0 (off) and is a \
               violation. A value known only after apply is indeterminate.",
        why: "Database incidents — a runaway process, memory pressure, a saturated volume — show \
              first in operating-system metrics. Without Enhanced Monitoring they are invisible \
              until the application fails, and the evidence is gone by the time anyone looks.",
        noncompliant: r#"Pulumi (TypeScript):

    const db = new aws.rds.Instance("orders", {
        engine: "postgres",
        instanceClass: "db.m7g.large",
        allocatedStorage: 100,
    });

Terraform:

    resource "aws_db_instance" "orders" {
      engine              = "postgres"
      instance_class      = "db.m7g.large"
      allocated_storage   = 100
      monitoring_interval = 0
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const db = new aws.rds.Instance("orders", {
        engine: "postgres",
        instanceClass: "db.m7g.large",
        allocatedStorage: 100,
        monitoringInterval: 60,
        monitoringRoleArn: monitoringRole.arn,
    });

Terraform:

    resource "aws_db_instance" "orders" {
      engine              = "postgres"
      instance_class      = "db.m7g.large"
      allocated_storage   = 100
      monitoring_interval = 60
      monitoring_role_arn = aws_iam_role.rds_monitoring.arn
    }"#,
        fix: "Create a role that `monitoring.rds.amazonaws.com` can assume with the managed \
              policy `AmazonRDSEnhancedMonitoringRole`, then set Pulumi `monitoringInterval: 60` \
              and `monitoringRoleArn: role.arn`, or Terraform `monitoring_interval = 60` and \
              `monitoring_role_arn = aws_iam_role.rds_monitoring.arn`. Shorter intervals cost \
              more CloudWatch Logs ingestion.",
        references: &[
            "AWS: Monitoring OS metrics with Enhanced Monitoring — https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.html",
            "AWS Security Hub: Amazon RDS controls — https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html (RDS.6)",
            "NIST SP 800-53 Rev. 5: SI-4; ISO/IEC 27001:2022: A.8.16; SOC 2: CC7.2",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let at = at(view, "monitoringInterval");
    let note = match number(view, "monitoringInterval")? {
        Some(seconds) if seconds > 0 => return Ok(Verdict::Pass),
        Some(seconds) => format!("`{at}` is {seconds}"),
        None => format!("`{at}` is not set and defaults to 0"),
    };
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} has Enhanced Monitoring off ({note})",
            who(view, "database instance")
        ))
        .at(at),
    ))
}
