//! AWS-ELASTICACHE-004: ElastiCache Redis and Valkey caches keep automatic backups.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};
use serde_json::json;

use super::member;
use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, config_int, engine, number, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ELASTICACHE-004",
    name: "elasticache-automatic-backups",
    title: "ElastiCache Redis and Valkey caches keep automatic backups",
    description: "With `snapshot_retention_limit` 0 (the default), ElastiCache takes no automatic \
                  snapshots, so a Redis or Valkey dataset used as a store cannot be restored.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["elasticache"],
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
        "aws_elasticache_replication_group",
        "aws:elasticache/replicationGroup:ReplicationGroup",
        "aws_elasticache_cluster",
        "aws:elasticache/cluster:Cluster",
    ],
    remediation: "Set `snapshot_retention_limit` (Pulumi `snapshotRetentionLimit`) to at least 1 \
                  day (7 or more for data that is not merely a cache).",
    fix: FixSafety::None,
    config_schema: Some(schema),
    docs: RuleDocs {
        what: "ElastiCache replication groups (`aws_elasticache_replication_group`, Pulumi \
               `aws:elasticache/replicationGroup:ReplicationGroup`) and stand-alone cache \
               clusters (`aws_elasticache_cluster`, Pulumi `aws:elasticache/cluster:Cluster`) \
               with engine `redis` or `valkey`: `snapshot_retention_limit` (Pulumi \
               `snapshotRetentionLimit`) must be at least `minimum_days` (default 1). Absent \
               means 0. Memcached (no snapshots) and clusters inside a replication group are not \
               applicable. A value known only after apply is indeterminate.",
        why: "Redis and Valkey are often used as the system of record for sessions, queues, \
              leaderboards or rate limits. Without snapshots, a node failure across the group, an \
              accidental `FLUSHALL` or a bad deployment loses that data for good.",
        noncompliant: r#"Pulumi (TypeScript):

    const cache = new aws.elasticache.ReplicationGroup("sessions", {
        description: "sessions",
        nodeType: "cache.r7g.large",
        numCacheClusters: 2,
    });

Terraform:

    resource "aws_elasticache_replication_group" "sessions" {
      replication_group_id     = "sessions"
      description              = "sessions"
      node_type                = "cache.r7g.large"
      num_cache_clusters       = 2
      snapshot_retention_limit = 0
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const cache = new aws.elasticache.ReplicationGroup("sessions", {
        description: "sessions",
        nodeType: "cache.r7g.large",
        numCacheClusters: 2,
        snapshotRetentionLimit: 7,
        snapshotWindow: "03:00-04:00",
    });

Terraform:

    resource "aws_elasticache_replication_group" "sessions" {
      replication_group_id     = "sessions"
      description              = "sessions"
      node_type                = "cache.r7g.large"
      num_cache_clusters       = 2
      snapshot_retention_limit = 7
      snapshot_window          = "03:00-04:00"
    }"#,
        fix: "Pulumi: `snapshotRetentionLimit: 7` (and `snapshotWindow`); Terraform: \
              `snapshot_retention_limit = 7` (and `snapshot_window`). The change is online. A \
              pure, rebuildable cache can be exempted; configure `minimum_days` for a longer \
              policy.",
        references: &[
            "AWS: Scheduling automatic backups — https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/backups-automatic.html",
            "AWS Security Hub: Amazon ElastiCache controls — https://docs.aws.amazon.com/securityhub/latest/userguide/elasticache-controls.html (ElastiCache.1)",
            "NIST SP 800-53 Rev. 5: CP-9; ISO/IEC 27001:2022: A.8.13; SOC 2: A1.2",
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
                "description": "The shortest acceptable snapshot retention, in days.",
                "type": "integer",
                "minimum": 1,
                "default": 1
            }
        }
    })
}

fn validate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Verdict, Halt> {
    let minimum = config_int(config, "minimum_days", "a whole number of days")?;
    if let Some(reason) = member(view)? {
        return Ok(Verdict::not_applicable(reason));
    }
    let engine = engine(view)?.unwrap_or_else(|| "redis".to_string());
    if engine != "redis" && engine != "valkey" {
        return Ok(Verdict::not_applicable(format!(
            "engine `{engine}` takes no snapshots"
        )));
    }
    let at = at(view, "snapshotRetentionLimit");
    let days = number(view, "snapshotRetentionLimit")?.unwrap_or(0);
    if days >= minimum {
        return Ok(Verdict::Pass);
    }
    let what = if days <= 0 {
        "takes no automatic backups".to_string()
    } else {
        format!(
            "keeps automatic backups for {}, fewer than {minimum}",
            guardrail_core::plural(days, "day", "days")
        )
    };
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} {what} (`{at}` is {days})",
            who(view, "ElastiCache")
        ))
        .at(at),
    ))
}
