//! AWS-EC2-017: security groups do not open database ports to the internet.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};
use serde_json::json;

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{config_ports, join_words, port_labels};
use crate::support::{describe_reach, open_to_world_verdict, Direction, SG_TYPES};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EC2-017",
    name: "security-group-database-port-open-to-world",
    title: "Security groups do not open database ports to the internet",
    description: "An ingress rule from 0.0.0.0/0 or ::/0 to a database or cache port \
                  (PostgreSQL, MySQL, SQL Server, Oracle, Redis, MongoDB, Elasticsearch...) \
                  exposes a data store to everyone on the internet.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["ec2", "vpc"],
    topics: &["network", "public-access"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["1.3.1", "1.4.4"] },
        Control { framework: "soc2", controls: &["CC6.6"] },
        Control { framework: "iso27001", controls: &["A.8.20"] },
        Control { framework: "nist-800-53", controls: &["SC-7"] },
    ]),
    resource_types: SG_TYPES,
    remediation: "Allow database ports only from the application's security group or private \
                  address ranges.",
    fix: FixSafety::None,
    config_schema: Some(schema),
    docs: RuleDocs {
        what: "Ingress rules of `aws_security_group` and `aws_default_security_group` (inline \
               `ingress`), `aws_security_group_rule` with `type = \"ingress\"` and \
               `aws_vpc_security_group_ingress_rule` (Pulumi `aws:ec2/securityGroup:SecurityGroup`, \
               `aws:ec2/defaultSecurityGroup:DefaultSecurityGroup`, \
               `aws:ec2/securityGroupRule:SecurityGroupRule`, \
               `aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule`). A rule violates \
               when a source is the whole internet (a CIDR with prefix length 0 in \
               `cidr_blocks`, `ipv6_cidr_blocks`, `cidr_ipv4` or `cidr_ipv6`) and its port \
               range, or protocol `-1`, covers a port in `ports` (by default 1433 SQL Server, \
               1521 and 2483-2484 Oracle, 3306 MySQL, 5432 PostgreSQL, 5984 CouchDB, 6379 \
               Redis, 7000-7001 and 9042 Cassandra, 8086 InfluxDB, 9200 and 9300 \
               Elasticsearch, 11211 memcached, 27017-27018 MongoDB). One violation per rule \
               and source. AWS-EC2-001 covers administrative ports. Values known only after \
               apply make the outcome indeterminate unless another rule already violates.",
        why: "Databases reachable from the internet are found by scanners within hours; \
              default or weak credentials, unauthenticated Redis and Elasticsearch, and \
              database vulnerabilities then lead straight to data theft or ransom notes. No \
              application needs its database open to the world.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ec2.SecurityGroup("db", {
        ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/0"] }],
    });

Terraform:

    resource "aws_vpc_security_group_ingress_rule" "db" {
      security_group_id = aws_security_group.db.id
      ip_protocol       = "tcp"
      from_port         = 5432
      to_port           = 5432
      cidr_ipv4         = "0.0.0.0/0"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ec2.SecurityGroup("db", {
        ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: [app.id] }],
    });

Terraform:

    resource "aws_vpc_security_group_ingress_rule" "db" {
      security_group_id            = aws_security_group.db.id
      ip_protocol                  = "tcp"
      from_port                    = 5432
      to_port                      = 5432
      referenced_security_group_id = aws_security_group.app.id
    }"#,
        fix: "Replace the world CIDR with the application tier's security group \
              (`security_groups` / `referenced_security_group_id`, Pulumi `securityGroups` / \
              `referencedSecurityGroupId`) or the VPC's private ranges; reach the database \
              from outside through a VPN or Session Manager port forwarding. Adjust `ports` \
              to your data stores.",
        references: &[
            "AWS: Security group rules — https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
            "PCI DSS v4.0: 1.3.1, 1.4.4; NIST SP 800-53 Rev. 5: SC-7",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn schema() -> serde_json::Value {
    json!({
        "type": "object",
        "properties": {
            "ports": {
                "description": "Database and cache ports that must not be open to the internet.",
                "type": "array",
                "items": {"type": "integer", "minimum": 0, "maximum": 65535},
                "default": [1433, 1521, 2483, 2484, 3306, 5432, 5984, 6379, 7000, 7001, 8086, 9042, 9200, 9300, 11211, 27017, 27018]
            }
        }
    })
}

fn validate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Verdict, Halt> {
    let ports = config_ports(config, "ports")?;
    open_to_world_verdict(view, Direction::Ingress, |reach, secrecy| {
        let covered = ports.iter().copied().filter(|p| reach.covers(*p));
        let exposed = port_labels(covered, secrecy.any());
        (!exposed.is_empty()).then(|| {
            format!(
                "to {}, covering database port{} {}",
                describe_reach(reach, secrecy),
                if exposed.len() > 1 { "s" } else { "" },
                join_words(&exposed)
            )
        })
    })
}
