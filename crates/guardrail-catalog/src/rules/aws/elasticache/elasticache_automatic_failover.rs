//! AWS-ELASTICACHE-005: ElastiCache replication groups fail over automatically.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{expect_flag, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ELASTICACHE-005",
    name: "elasticache-automatic-failover",
    title: "ElastiCache replication groups fail over automatically",
    description: "Without automatic failover, losing the primary node leaves the replication \
                  group read-only until someone promotes a replica by hand.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["elasticache"],
    topics: &["resilience"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "soc2",
            controls: &["A1.2"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.14"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["CP-10"],
        },
    ]),
    resource_types: &[
        "aws_elasticache_replication_group",
        "aws:elasticache/replicationGroup:ReplicationGroup",
    ],
    remediation: "Set `automatic_failover_enabled = true` (Pulumi `automaticFailoverEnabled: \
                  true`) with at least one replica.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "ElastiCache replication groups (`aws_elasticache_replication_group`, Pulumi \
               `aws:elasticache/replicationGroup:ReplicationGroup`): `automatic_failover_enabled` \
               (Pulumi `automaticFailoverEnabled`) must be true. Absent means false. A value \
               known only after apply is indeterminate.",
        why: "Primaries fail: hardware faults, zone outages, maintenance. With automatic failover \
              ElastiCache promotes a replica in seconds and keeps the endpoint; without it every \
              write fails until an operator notices and acts.",
        noncompliant: r#"Pulumi (TypeScript):

    const cache = new aws.elasticache.ReplicationGroup("sessions", {
        description: "sessions",
        nodeType: "cache.r7g.large",
        numCacheClusters: 2,
    });

Terraform:

    resource "aws_elasticache_replication_group" "sessions" {
      replication_group_id       = "sessions"
      description                = "sessions"
      node_type                  = "cache.r7g.large"
      num_cache_clusters         = 2
      automatic_failover_enabled = false
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const cache = new aws.elasticache.ReplicationGroup("sessions", {
        description: "sessions",
        nodeType: "cache.r7g.large",
        numCacheClusters: 2,
        automaticFailoverEnabled: true,
        multiAzEnabled: true,
    });

Terraform:

    resource "aws_elasticache_replication_group" "sessions" {
      replication_group_id       = "sessions"
      description                = "sessions"
      node_type                  = "cache.r7g.large"
      num_cache_clusters         = 2
      automatic_failover_enabled = true
      multi_az_enabled           = true
    }"#,
        fix: "Pulumi: `automaticFailoverEnabled: true`; Terraform: `automatic_failover_enabled = \
              true`. The group needs at least two nodes (`num_cache_clusters >= 2` or replicas \
              per shard); the change is online.",
        references: &[
            "AWS: Minimizing downtime in ElastiCache by using Multi-AZ — https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html",
            "AWS Security Hub: Amazon ElastiCache controls — https://docs.aws.amazon.com/securityhub/latest/userguide/elasticache-controls.html (ElastiCache.3)",
            "NIST SP 800-53 Rev. 5: CP-10; ISO/IEC 27001:2022: A.8.14; SOC 2: A1.2",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    expect_flag(
        view,
        "automaticFailoverEnabled",
        true,
        false,
        &format!(
            "{} does not fail over automatically",
            who(view, "ElastiCache replication group")
        ),
    )
}
