//! AWS-RDS-005: RDS instances run in Multi-AZ deployments.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{expect_flag, text, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-RDS-005",
    name: "rds-instance-multi-az",
    title: "RDS instances run in Multi-AZ deployments",
    description: "A single-AZ RDS instance goes down with its Availability Zone and during many \
                  maintenance operations; a Multi-AZ standby fails over automatically.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["rds"],
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
        "aws_db_instance",
        "aws:rds/instance:Instance",
    ],
    remediation: "Set `multi_az = true` (Pulumi `multiAz: true`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "RDS database instances (`aws_db_instance`, Pulumi `aws:rds/instance:Instance`): \
               `multi_az` (Pulumi `multiAz`) must be true. Absent means the default, false, and \
               is a violation. Read replicas (`replicate_source_db` set) are not applicable: \
               their availability comes from the primary and from promotion. Aurora instances are \
               spread across zones by the cluster and are not of this type. A value known only \
               after apply is indeterminate. This is the AWSGuard `rds-instance-multi-az-enabled` \
               check.",
        why: "A single-AZ instance is unavailable when its zone fails, when its host fails and is \
              replaced, and during some patching and scaling. Multi-AZ keeps a synchronous \
              standby in another zone and fails over to it in a minute or two without a change of \
              endpoint; without it recovery means restoring from backup, with data loss back to \
              the last transaction log upload.",
        noncompliant: r#"Pulumi (TypeScript):

    const db = new aws.rds.Instance("orders", {
        engine: "postgres",
        instanceClass: "db.m7g.large",
        allocatedStorage: 100,
    });

Terraform:

    resource "aws_db_instance" "orders" {
      engine            = "postgres"
      instance_class    = "db.m7g.large"
      allocated_storage = 100
      multi_az          = false
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const db = new aws.rds.Instance("orders", {
        engine: "postgres",
        instanceClass: "db.m7g.large",
        allocatedStorage: 100,
        multiAz: true,
    });

Terraform:

    resource "aws_db_instance" "orders" {
      engine            = "postgres"
      instance_class    = "db.m7g.large"
      allocated_storage = 100
      multi_az          = true
    }"#,
        fix: "Pulumi: `multiAz: true`; Terraform: `multi_az = true`. The conversion happens \
              online but roughly doubles the instance cost and briefly affects performance while \
              the standby is created; apply it in a maintenance window. For development databases \
              where downtime is acceptable, disable the rule for that stack or grant an \
              exemption.",
        references: &[
            "AWS: Multi-AZ DB instance deployments — https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZSingleStandby.html",
            "AWS Security Hub: Amazon RDS controls — https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html (RDS.5)",
            "Pulumi AWSGuard: rds-instance-multi-az-enabled",
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
    if text(view, "replicateSourceDb")?.is_some() {
        return Ok(Verdict::not_applicable("a read replica"));
    }
    expect_flag(
        view,
        "multiAz",
        true,
        false,
        &format!(
            "{} runs in a single Availability Zone",
            who(view, "RDS instance")
        ),
    )
}
