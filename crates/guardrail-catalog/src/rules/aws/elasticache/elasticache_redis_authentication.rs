//! AWS-ELASTICACHE-003: ElastiCache Redis and Valkey replication groups require authentication.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, engine, string_list, text, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ELASTICACHE-003",
    name: "elasticache-redis-authentication",
    title: "ElastiCache Redis and Valkey replication groups require authentication",
    description: "A Redis or Valkey replication group without an AUTH token or RBAC user group \
                  lets any client that reaches the port read, change and flush the cache.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["elasticache"],
    topics: &["identity"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["8.3.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.5"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(d)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-2", "IA-2"],
        },
    ]),
    resource_types: &[
        "aws_elasticache_replication_group",
        "aws:elasticache/replicationGroup:ReplicationGroup",
    ],
    remediation: "Set `auth_token` (with TLS) or `user_group_ids` (Pulumi `authToken`, \
                  `userGroupIds`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "ElastiCache replication groups (`aws_elasticache_replication_group`, Pulumi \
               `aws:elasticache/replicationGroup:ReplicationGroup`) with engine `redis` (the \
               default) or `valkey`: either `auth_token` (Pulumi `authToken`, usually a secret) \
               or `user_group_ids` (Pulumi `userGroupIds`, role-based access control) must be \
               set. Neither is a violation. Values known only after apply are indeterminate. \
               Other engines are not applicable.",
        why: "Redis and Valkey have no authentication unless it is configured. Any compromised \
              workload in the VPC, or any path opened by a broad security group, can then dump \
              sessions and cached data, write poisoned entries or run `FLUSHALL`.",
        noncompliant: r#"Pulumi (TypeScript):

    const cache = new aws.elasticache.ReplicationGroup("sessions", {
        description: "sessions",
        nodeType: "cache.r7g.large",
        numCacheClusters: 2,
        transitEncryptionEnabled: true,
    });

Terraform:

    resource "aws_elasticache_replication_group" "sessions" {
      replication_group_id       = "sessions"
      description                = "sessions"
      node_type                  = "cache.r7g.large"
      num_cache_clusters         = 2
      transit_encryption_enabled = true
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const cache = new aws.elasticache.ReplicationGroup("sessions", {
        description: "sessions",
        nodeType: "cache.r7g.large",
        numCacheClusters: 2,
        transitEncryptionEnabled: true,
        authToken: config.requireSecret("redisAuthToken"),
    });

Terraform:

    resource "aws_elasticache_replication_group" "sessions" {
      replication_group_id       = "sessions"
      description                = "sessions"
      node_type                  = "cache.r7g.large"
      num_cache_clusters         = 2
      transit_encryption_enabled = true
      user_group_ids             = [aws_elasticache_user_group.sessions.user_group_id]
    }"#,
        fix: "Pulumi: `authToken: config.requireSecret(...)` or `userGroupIds: \
              [group.userGroupId]`; Terraform: `auth_token` from a secret variable (with \
              `auth_token_update_strategy` to rotate) or `user_group_ids`. AUTH tokens require \
              `transit_encryption_enabled`. Prefer RBAC user groups: per-application users with \
              command and key restrictions.",
        references: &[
            "AWS: Authenticating with the Redis AUTH command — https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html",
            "AWS: Role-Based Access Control (RBAC) — https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html",
            "AWS Security Hub: Amazon ElastiCache controls — https://docs.aws.amazon.com/securityhub/latest/userguide/elasticache-controls.html (ElastiCache.6)",
            "NIST SP 800-53 Rev. 5: AC-2, IA-2; ISO/IEC 27001:2022: A.8.5; SOC 2: CC6.1",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let engine = engine(view)?.unwrap_or_else(|| "redis".to_string());
    if engine != "redis" && engine != "valkey" {
        return Ok(Verdict::not_applicable(format!("engine `{engine}`")));
    }
    if text(view, "authToken")?.is_some() || !string_list(view, "userGroupIds")?.is_empty() {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} accepts clients without authentication (neither `{}` nor `{}` is set)",
            who(view, "ElastiCache replication group"),
            at(view, "authToken"),
            at(view, "userGroupIds")
        ))
        .at(at(view, "authToken")),
    ))
}
