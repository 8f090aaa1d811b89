//! AWS-RDS-008: RDS and Aurora instances take minor engine upgrades automatically.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{expect_flag, fix_flag, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-RDS-008",
    name: "rds-auto-minor-version-upgrade",
    title: "RDS and Aurora instances take minor engine upgrades automatically",
    description: "With automatic minor version upgrades off, database engines stay on old patch \
                  levels with known vulnerabilities until someone upgrades them by hand.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["rds"],
    topics: &["vulnerability-management"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-aws",
            controls: &["2.3.2"],
        },
        Control {
            framework: "pci-dss",
            controls: &["6.3.3"],
        },
        Control {
            framework: "soc2",
            controls: &["CC7.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.8"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SI-2"],
        },
    ]),
    resource_types: &[
        "aws_db_instance",
        "aws:rds/instance:Instance",
        "aws_rds_cluster_instance",
        "aws:rds/clusterInstance:ClusterInstance",
    ],
    remediation: "Remove `auto_minor_version_upgrade = false` or set it to true (Pulumi \
                  `autoMinorVersionUpgrade: true`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "RDS database instances (`aws_db_instance`, Pulumi `aws:rds/instance:Instance`) and \
               Aurora cluster instances (`aws_rds_cluster_instance`, Pulumi \
               `aws:rds/clusterInstance:ClusterInstance`): `auto_minor_version_upgrade` (Pulumi \
               `autoMinorVersionUpgrade`) must not be false. Absent means the default, true, and \
               passes. A value known only after apply is indeterminate. Under `remediate` \
               guardrail sets it to true.",
        why: "Minor engine versions carry security fixes for the database engine itself. \
              Instances that never take them drift behind, and when a vulnerability is published \
              the upgrade has to happen under pressure. Automatic minor upgrades apply them in \
              the maintenance window you choose.",
        noncompliant: r#"Pulumi (TypeScript):

    const db = new aws.rds.Instance("orders", {
        engine: "mysql",
        instanceClass: "db.t4g.medium",
        allocatedStorage: 50,
        autoMinorVersionUpgrade: false,
    });

Terraform:

    resource "aws_rds_cluster_instance" "orders" {
      cluster_identifier         = aws_rds_cluster.orders.id
      instance_class             = "db.r6g.large"
      engine                     = "aurora-postgresql"
      auto_minor_version_upgrade = false
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const db = new aws.rds.Instance("orders", {
        engine: "mysql",
        instanceClass: "db.t4g.medium",
        allocatedStorage: 50,
        autoMinorVersionUpgrade: true,
        maintenanceWindow: "sun:03:00-sun:04:00",
    });

Terraform:

    resource "aws_rds_cluster_instance" "orders" {
      cluster_identifier           = aws_rds_cluster.orders.id
      instance_class               = "db.r6g.large"
      engine                       = "aurora-postgresql"
      auto_minor_version_upgrade   = true
      preferred_maintenance_window = "sun:03:00-sun:04:00"
    }"#,
        fix: "Pulumi: `autoMinorVersionUpgrade: true` (or leave it out); Terraform: \
              `auto_minor_version_upgrade = true` (or leave it out), together with a maintenance \
              window that suits the workload. If the engine version is pinned with \
              `engine_version`, pin only the major version (`16` rather than `16.3`) so Terraform \
              does not fight the upgrade. Under `remediate` guardrail sets the flag (a safe fix: \
              upgrades still happen only in the maintenance window).",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 2.3.2 Ensure Auto Minor Version Upgrade feature is Enabled for RDS Instances",
            "AWS: Automatically upgrading the minor engine version — https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.Upgrading.html#USER_UpgradeDBInstance.Upgrading.AutoMinorVersionUpgrades",
            "AWS Security Hub: Amazon RDS controls — https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html (RDS.13)",
            "PCI DSS v4.0: 6.3.3; NIST SP 800-53 Rev. 5: SI-2; ISO/IEC 27001:2022: A.8.8",
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
        "autoMinorVersionUpgrade",
        true,
        true,
        &format!(
            "{} does not take minor engine upgrades automatically",
            who(view, "database instance")
        ),
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    fix_flag(view, "autoMinorVersionUpgrade", true, true)
}
