//! AWS-ELASTICACHE-007: ElastiCache does not use the default subnet group.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use super::member;
use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, text, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ELASTICACHE-007",
    name: "elasticache-custom-subnet-group",
    title: "ElastiCache does not use the default subnet group",
    description: "Caches without a subnet group of their own land in the default subnet group, \
                  which spans the default VPC's public subnets.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["elasticache"],
    topics: &["network"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "soc2",
            controls: &["CC6.6"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.22"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-4", "SC-7"],
        },
    ]),
    resource_types: &[
        "aws_elasticache_replication_group",
        "aws:elasticache/replicationGroup:ReplicationGroup",
        "aws_elasticache_cluster",
        "aws:elasticache/cluster:Cluster",
    ],
    remediation: "Create an `aws_elasticache_subnet_group` of private subnets and set \
                  `subnet_group_name` (Pulumi `subnetGroupName`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "ElastiCache replication groups (`aws_elasticache_replication_group`, Pulumi \
               `aws:elasticache/replicationGroup:ReplicationGroup`) and stand-alone cache \
               clusters (`aws_elasticache_cluster`, Pulumi `aws:elasticache/cluster:Cluster`): \
               `subnet_group_name` (Pulumi `subnetGroupName`) must be set and not `default`. \
               Clusters inside a replication group are not applicable. A value known only after \
               apply is indeterminate.",
        why: "The default subnet group uses the default VPC, whose subnets are public and shared \
              with everything else launched without a VPC choice. A cache there sits next to \
              unrelated workloads with routes to the internet, outside the network design the \
              application was reviewed against.",
        noncompliant: r#"Pulumi (TypeScript):

    const cache = new aws.elasticache.Cluster("fragments", {
        engine: "memcached",
        nodeType: "cache.t4g.small",
        numCacheNodes: 2,
    });

Terraform:

    resource "aws_elasticache_cluster" "fragments" {
      cluster_id      = "fragments"
      engine          = "memcached"
      node_type       = "cache.t4g.small"
      num_cache_nodes = 2
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const subnets = new aws.elasticache.SubnetGroup("private-cache", { subnetIds: privateSubnetIds });
    const cache = new aws.elasticache.Cluster("fragments", {
        engine: "memcached",
        nodeType: "cache.t4g.small",
        numCacheNodes: 2,
        subnetGroupName: subnets.name,
    });

Terraform:

    resource "aws_elasticache_subnet_group" "private" {
      name       = "private-cache"
      subnet_ids = var.private_subnet_ids
    }

    resource "aws_elasticache_cluster" "fragments" {
      cluster_id        = "fragments"
      engine            = "memcached"
      node_type         = "cache.t4g.small"
      num_cache_nodes   = 2
      subnet_group_name = aws_elasticache_subnet_group.private.name
    }"#,
        fix: "Create a subnet group of private subnets (Pulumi `aws.elasticache.SubnetGroup`, \
              Terraform `aws_elasticache_subnet_group`) and set `subnetGroupName` / \
              `subnet_group_name`. The subnet group cannot be changed in place: the cache is \
              replaced.",
        references: &[
            "AWS: Subnets and subnet groups — https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/SubnetGroups.html",
            "AWS Security Hub: Amazon ElastiCache controls — https://docs.aws.amazon.com/securityhub/latest/userguide/elasticache-controls.html (ElastiCache.7)",
            "NIST SP 800-53 Rev. 5: AC-4, SC-7; ISO/IEC 27001:2022: A.8.22; SOC 2: CC6.6",
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
    let at = at(view, "subnetGroupName");
    let note = match text(view, "subnetGroupName")? {
        Some(name) if !name.trim().eq_ignore_ascii_case("default") => return Ok(Verdict::Pass),
        Some(_) => format!("`{at}` is `default`"),
        None => format!("`{at}` is not set"),
    };
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} uses the default subnet group ({note})",
            who(view, "ElastiCache")
        ))
        .at(at),
    ))
}
