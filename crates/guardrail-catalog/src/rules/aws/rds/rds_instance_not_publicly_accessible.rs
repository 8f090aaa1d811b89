//! AWS-RDS-001: RDS and Aurora instances are not publicly accessible.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{expect_flag, fix_flag, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-RDS-001",
    name: "rds-instance-not-publicly-accessible",
    title: "RDS and Aurora instances are not publicly accessible",
    description: "A database instance with `publicly_accessible` set gets a public DNS name and \
                  address, so anyone on the internet can reach its listener wherever security \
                  groups allow.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["rds"],
    topics: &["public-access", "network"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-aws",
            controls: &["2.3.3"],
        },
        Control {
            framework: "pci-dss",
            controls: &["1.4.4"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.6"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.20"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-3", "SC-7"],
        },
    ]),
    resource_types: &[
        "aws_db_instance",
        "aws:rds/instance:Instance",
        "aws_rds_cluster_instance",
        "aws:rds/clusterInstance:ClusterInstance",
    ],
    remediation: "Set `publicly_accessible` (Pulumi `publiclyAccessible`) to false and reach the \
                  database from inside the VPC, through a bastion, VPN or AWS Systems Manager \
                  port forwarding.",
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "RDS database instances (`aws_db_instance`, Pulumi `aws:rds/instance:Instance`) and \
               Aurora cluster instances (`aws_rds_cluster_instance`, Pulumi \
               `aws:rds/clusterInstance:ClusterInstance`): `publicly_accessible` (Pulumi \
               `publiclyAccessible`) must not be true. Absent means the provider default, false, \
               and passes. A value known only after apply is indeterminate. This is the AWSGuard \
               `rds-instance-public-access` check.",
        why: "A publicly accessible instance resolves to a public IP address. Its only remaining \
              barrier is the security group, and one broad ingress rule (or a later change by \
              someone else) puts the database listener in front of every scanner on the internet: \
              password guessing, exploitation of engine vulnerabilities and data theft follow. \
              Databases almost never need to be addressed from outside the VPC.",
        noncompliant: r#"Pulumi (TypeScript):

    const db = new aws.rds.Instance("orders", {
        engine: "postgres",
        instanceClass: "db.t4g.medium",
        allocatedStorage: 50,
        publiclyAccessible: true,
    });

Terraform:

    resource "aws_db_instance" "orders" {
      engine              = "postgres"
      instance_class      = "db.t4g.medium"
      allocated_storage   = 50
      publicly_accessible = true
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const db = new aws.rds.Instance("orders", {
        engine: "postgres",
        instanceClass: "db.t4g.medium",
        allocatedStorage: 50,
        publiclyAccessible: false,
        dbSubnetGroupName: privateSubnets.name,
    });

Terraform:

    resource "aws_db_instance" "orders" {
      engine               = "postgres"
      instance_class       = "db.t4g.medium"
      allocated_storage    = 50
      publicly_accessible  = false
      db_subnet_group_name = aws_db_subnet_group.private.name
    }"#,
        fix: "Pulumi: set `publiclyAccessible: false`; Terraform: set `publicly_accessible = \
              false` (or remove the argument). Place the instance in private subnets and connect \
              through the VPC: an application in the VPC, a bastion, a VPN, or Session Manager \
              port forwarding. Under `remediate` guardrail sets the flag to false; the fix is \
              marked unsafe because clients that connect over the internet today lose access.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 2.3.3 Ensure that public access is not given to RDS Instance",
            "AWS: Working with a DB instance in a VPC — https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html",
            "AWS Security Hub: Amazon RDS controls — https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html (RDS.2)",
            "Pulumi AWSGuard: rds-instance-public-access",
            "PCI DSS v4.0: 1.4.4; NIST SP 800-53 Rev. 5: AC-3, SC-7; ISO/IEC 27001:2022: A.8.20; SOC 2: CC6.6",
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
        "publiclyAccessible",
        false,
        false,
        &format!("{} is publicly accessible", who(view, "database instance")),
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    fix_flag(view, "publiclyAccessible", false, false)
}
