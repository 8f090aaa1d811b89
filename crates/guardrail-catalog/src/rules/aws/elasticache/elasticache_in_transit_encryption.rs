//! AWS-ELASTICACHE-002: ElastiCache encrypts connections with TLS.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use super::member;
use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{expect_flag, text, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ELASTICACHE-002",
    name: "elasticache-in-transit-encryption",
    title: "ElastiCache encrypts connections with TLS",
    description: "Without in-transit encryption, Redis, Valkey and Memcached traffic — keys, \
                  values and AUTH tokens — crosses the network in plaintext.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["elasticache"],
    topics: &["tls", "encryption"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["4.2.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.7"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.24"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(e)(1)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-8"],
        },
    ]),
    resource_types: &[
        "aws_elasticache_replication_group",
        "aws:elasticache/replicationGroup:ReplicationGroup",
        "aws_elasticache_cluster",
        "aws:elasticache/cluster:Cluster",
    ],
    remediation: "Set `transit_encryption_enabled = true` (Pulumi `transitEncryptionEnabled: \
                  true`) and connect with TLS.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "ElastiCache replication groups (`aws_elasticache_replication_group`, Pulumi \
               `aws:elasticache/replicationGroup:ReplicationGroup`) and stand-alone cache \
               clusters (`aws_elasticache_cluster`, Pulumi `aws:elasticache/cluster:Cluster`): \
               `transit_encryption_enabled` (Pulumi `transitEncryptionEnabled`) must be true. \
               Absent means false. Clusters that belong to a replication group \
               (`replication_group_id` set) and global datastore members are not applicable. A \
               value known only after apply is indeterminate.",
        why: "Applications send session tokens, cached credentials and personal data to the \
              cache, and Redis AUTH tokens travel with every connection. Without TLS anyone who \
              can observe traffic inside the VPC reads all of it; an AUTH token without TLS \
              protects little.",
        noncompliant: r#"Pulumi (TypeScript):

    const cache = new aws.elasticache.ReplicationGroup("sessions", {
        description: "sessions",
        nodeType: "cache.r7g.large",
        numCacheClusters: 2,
    });

Terraform:

    resource "aws_elasticache_cluster" "fragments" {
      cluster_id      = "fragments"
      engine          = "memcached"
      node_type       = "cache.t4g.small"
      num_cache_nodes = 2
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const cache = new aws.elasticache.ReplicationGroup("sessions", {
        description: "sessions",
        nodeType: "cache.r7g.large",
        numCacheClusters: 2,
        transitEncryptionEnabled: true,
    });

Terraform:

    resource "aws_elasticache_cluster" "fragments" {
      cluster_id                 = "fragments"
      engine                     = "memcached"
      node_type                  = "cache.t4g.small"
      num_cache_nodes            = 2
      transit_encryption_enabled = true
    }"#,
        fix: "Pulumi: `transitEncryptionEnabled: true`; Terraform: `transit_encryption_enabled = \
              true`. Redis OSS 7+ and Valkey replication groups can enable it online through \
              `transit_encryption_mode = \"preferred\"` then `\"required\"`; older engines and \
              Memcached need a new cluster. Clients must connect with TLS.",
        references: &[
            "AWS: ElastiCache in-transit encryption (TLS) — https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html",
            "AWS Security Hub: Amazon ElastiCache controls — https://docs.aws.amazon.com/securityhub/latest/userguide/elasticache-controls.html (ElastiCache.5)",
            "PCI DSS v4.0: 4.2.1; HIPAA: 164.312(e)(1); NIST SP 800-53 Rev. 5: SC-8",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if let Some(reason) = member(view)? {
        return Ok(Verdict::not_applicable(reason));
    }
    if text(view, "globalReplicationGroupId")?.is_some() {
        return Ok(Verdict::not_applicable(
            "a global datastore member inherits encryption",
        ));
    }
    expect_flag(
        view,
        "transitEncryptionEnabled",
        true,
        false,
        &format!(
            "{} accepts connections without TLS",
            who(view, "ElastiCache")
        ),
    )
}
