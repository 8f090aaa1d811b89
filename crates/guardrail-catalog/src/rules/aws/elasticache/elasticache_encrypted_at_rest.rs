//! AWS-ELASTICACHE-001: ElastiCache replication groups encrypt data at rest.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{expect_flag, text, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ELASTICACHE-001",
    name: "elasticache-encrypted-at-rest",
    title: "ElastiCache replication groups encrypt data at rest",
    description: "Without at-rest encryption, cached data written to disk — snapshots, swap, data \
                  tiering — is stored unencrypted.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["elasticache"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["3.5.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.24"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(a)(2)(iv)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-28"],
        },
    ]),
    resource_types: &[
        "aws_elasticache_replication_group",
        "aws:elasticache/replicationGroup:ReplicationGroup",
    ],
    remediation: "Create the replication group with `at_rest_encryption_enabled = true` (Pulumi \
                  `atRestEncryptionEnabled: true`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "ElastiCache replication groups (`aws_elasticache_replication_group`, Pulumi \
               `aws:elasticache/replicationGroup:ReplicationGroup`): `at_rest_encryption_enabled` \
               (Pulumi `atRestEncryptionEnabled`) must be true. Absent means false. Members of a \
               global datastore (`global_replication_group_id` set) inherit the setting and are \
               not applicable. A value known only after apply is indeterminate.",
        why: "Caches hold sessions, tokens and copies of database rows. Backups and on-disk data \
              of an unencrypted cache are outside KMS access control, and the setting can only be \
              chosen when the group is created.",
        noncompliant: r#"Pulumi (TypeScript):

    const cache = new aws.elasticache.ReplicationGroup("sessions", {
        description: "sessions",
        engine: "redis",
        nodeType: "cache.r7g.large",
        numCacheClusters: 2,
    });

Terraform:

    resource "aws_elasticache_replication_group" "sessions" {
      replication_group_id = "sessions"
      description          = "sessions"
      node_type            = "cache.r7g.large"
      num_cache_clusters   = 2
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const cache = new aws.elasticache.ReplicationGroup("sessions", {
        description: "sessions",
        engine: "redis",
        nodeType: "cache.r7g.large",
        numCacheClusters: 2,
        atRestEncryptionEnabled: true,
    });

Terraform:

    resource "aws_elasticache_replication_group" "sessions" {
      replication_group_id       = "sessions"
      description                = "sessions"
      node_type                  = "cache.r7g.large"
      num_cache_clusters         = 2
      at_rest_encryption_enabled = true
    }"#,
        fix: "Pulumi: `atRestEncryptionEnabled: true` (and `kmsKeyId` for a customer-managed \
              key); Terraform: `at_rest_encryption_enabled = true` (and `kms_key_id`). The \
              setting forces a new replication group: create it, seed it from a snapshot if the \
              data matters, and switch clients to the new endpoint.",
        references: &[
            "AWS: At-rest encryption in ElastiCache — https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html",
            "AWS Security Hub: Amazon ElastiCache controls — https://docs.aws.amazon.com/securityhub/latest/userguide/elasticache-controls.html (ElastiCache.4)",
            "PCI DSS v4.0: 3.5.1; HIPAA: 164.312(a)(2)(iv); NIST SP 800-53 Rev. 5: SC-28",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if text(view, "globalReplicationGroupId")?.is_some() {
        return Ok(Verdict::not_applicable(
            "a global datastore member inherits encryption",
        ));
    }
    expect_flag(
        view,
        "atRestEncryptionEnabled",
        true,
        false,
        &format!(
            "{} does not encrypt data at rest",
            who(view, "ElastiCache replication group")
        ),
    )
}
