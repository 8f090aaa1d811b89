//! AWS-ELASTICACHE-006: ElastiCache takes minor engine upgrades automatically.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{expect_flag, fix_flag, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ELASTICACHE-006",
    name: "elasticache-auto-minor-version-upgrade",
    title: "ElastiCache takes minor engine upgrades automatically",
    description: "With automatic minor version upgrades off, cache engines stay on patch levels \
                  with known vulnerabilities.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["elasticache"],
    topics: &["vulnerability-management"],
    frameworks: Frameworks::Mapped(&[
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
        "aws_elasticache_replication_group",
        "aws:elasticache/replicationGroup:ReplicationGroup",
        "aws_elasticache_cluster",
        "aws:elasticache/cluster:Cluster",
    ],
    remediation: "Remove `auto_minor_version_upgrade = false` or set it to true (Pulumi \
                  `autoMinorVersionUpgrade: true`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "ElastiCache replication groups (`aws_elasticache_replication_group`, Pulumi \
               `aws:elasticache/replicationGroup:ReplicationGroup`) and cache clusters \
               (`aws_elasticache_cluster`, Pulumi `aws:elasticache/cluster:Cluster`): \
               `auto_minor_version_upgrade` (Pulumi `autoMinorVersionUpgrade`; a \
               `\"true\"`/`\"false\"` string in some provider versions) must not be false. Absent \
               means the default, true. A value known only after apply is indeterminate. Under \
               `remediate` guardrail sets it to true, keeping a string a string.",
        why: "Minor engine releases fix security issues in Redis, Valkey and Memcached. Caches \
              that never take them stay exposed until someone schedules a manual upgrade.",
        noncompliant: r#"Pulumi (TypeScript):

    const cache = new aws.elasticache.ReplicationGroup("sessions", {
        description: "sessions",
        nodeType: "cache.r7g.large",
        autoMinorVersionUpgrade: false,
    });

Terraform:

    resource "aws_elasticache_replication_group" "sessions" {
      replication_group_id       = "sessions"
      description                = "sessions"
      node_type                  = "cache.r7g.large"
      auto_minor_version_upgrade = false
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const cache = new aws.elasticache.ReplicationGroup("sessions", {
        description: "sessions",
        nodeType: "cache.r7g.large",
        autoMinorVersionUpgrade: true,
        maintenanceWindow: "sun:03:00-sun:04:00",
    });

Terraform:

    resource "aws_elasticache_replication_group" "sessions" {
      replication_group_id       = "sessions"
      description                = "sessions"
      node_type                  = "cache.r7g.large"
      auto_minor_version_upgrade = true
      maintenance_window         = "sun:03:00-sun:04:00"
    }"#,
        fix: "Pulumi: `autoMinorVersionUpgrade: true` (or leave it out); Terraform: \
              `auto_minor_version_upgrade = true` (or leave it out), with a `maintenance_window`. \
              Under `remediate` guardrail sets it (a safe fix: upgrades happen in the maintenance \
              window).",
        references: &[
            "AWS: Version management for ElastiCache — https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/VersionManagement.html",
            "AWS Security Hub: Amazon ElastiCache controls — https://docs.aws.amazon.com/securityhub/latest/userguide/elasticache-controls.html (ElastiCache.2)",
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
            who(view, "ElastiCache")
        ),
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    fix_flag(view, "autoMinorVersionUpgrade", true, true)
}
