//! AWS-RDS-006: RDS instances and DB clusters have deletion protection.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{expect_flag, fix_flag, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-RDS-006",
    name: "rds-deletion-protection-enabled",
    title: "RDS instances and DB clusters have deletion protection",
    description: "Without deletion protection a database can be deleted by one API call or one \
                  mistaken `destroy`, taking its automated backups with it unless a final \
                  snapshot is kept.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["rds"],
    topics: &["resilience", "backup"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "soc2",
            controls: &["A1.2"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["CM-3", "SC-5(2)"],
        },
    ]),
    resource_types: &[
        "aws_db_instance",
        "aws:rds/instance:Instance",
        "aws_rds_cluster",
        "aws:rds/cluster:Cluster",
    ],
    remediation: "Set `deletion_protection = true` (Pulumi `deletionProtection: true`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "RDS database instances (`aws_db_instance`, Pulumi `aws:rds/instance:Instance`) and \
               DB clusters (`aws_rds_cluster`, Pulumi `aws:rds/cluster:Cluster`): \
               `deletion_protection` (Pulumi `deletionProtection`) must be true. Absent means \
               false and is a violation. A value known only after apply is indeterminate. Under \
               `remediate` guardrail sets the flag.",
        why: "Databases hold state that cannot be recreated from code. A refactoring that renames \
              a resource, a wrong workspace, or a compromised pipeline can delete an instance in \
              seconds; deletion protection makes AWS refuse the deletion until the flag is turned \
              off in a separate, visible change.",
        noncompliant: r#"Pulumi (TypeScript):

    const cluster = new aws.rds.Cluster("orders", {
        engine: "aurora-mysql",
        masterUsername: "appadmin",
        manageMasterUserPassword: true,
    });

Terraform:

    resource "aws_db_instance" "orders" {
      engine              = "mysql"
      instance_class      = "db.t4g.medium"
      allocated_storage   = 50
      deletion_protection = false
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const cluster = new aws.rds.Cluster("orders", {
        engine: "aurora-mysql",
        masterUsername: "appadmin",
        manageMasterUserPassword: true,
        deletionProtection: true,
    });

Terraform:

    resource "aws_db_instance" "orders" {
      engine              = "mysql"
      instance_class      = "db.t4g.medium"
      allocated_storage   = 50
      deletion_protection = true
    }"#,
        fix: "Pulumi: `deletionProtection: true`; Terraform: `deletion_protection = true`. The \
              change is online and harmless; when a database really must go, turn the flag off in \
              one change and delete it in the next. Under `remediate` guardrail sets the flag for \
              you (a safe fix).",
        references: &[
            "AWS: Deleting a DB instance (deletion protection) — https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html",
            "AWS Security Hub: Amazon RDS controls — https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html (RDS.7, RDS.8)",
            "NIST SP 800-53 Rev. 5: CM-3, SC-5(2); SOC 2: A1.2",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let noun = if view.resource.type_.contains("luster") {
        "DB cluster"
    } else {
        "RDS instance"
    };
    expect_flag(
        view,
        "deletionProtection",
        true,
        false,
        &format!("{} has no deletion protection", who(view, noun)),
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    fix_flag(view, "deletionProtection", true, false)
}
