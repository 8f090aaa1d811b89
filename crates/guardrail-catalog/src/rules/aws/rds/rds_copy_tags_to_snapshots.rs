//! AWS-RDS-012: RDS instances and DB clusters copy their tags to snapshots.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{engine, expect_flag, fix_flag, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-RDS-012",
    name: "rds-copy-tags-to-snapshots",
    title: "RDS instances and DB clusters copy their tags to snapshots",
    description: "Snapshots without the database's tags lose their owner, data classification and \
                  cost allocation, and escape tag-based access policies.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["rds"],
    topics: &["tagging", "backup"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "iso27001",
            controls: &["A.5.9"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["CM-8"],
        },
    ]),
    resource_types: &[
        "aws_db_instance",
        "aws:rds/instance:Instance",
        "aws_rds_cluster",
        "aws:rds/cluster:Cluster",
    ],
    remediation: "Set `copy_tags_to_snapshot = true` (Pulumi `copyTagsToSnapshot: true`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "RDS database instances (`aws_db_instance`, Pulumi `aws:rds/instance:Instance`) and \
               DB clusters (`aws_rds_cluster`, Pulumi `aws:rds/cluster:Cluster`): \
               `copy_tags_to_snapshot` (Pulumi `copyTagsToSnapshot`) must be true. Absent means \
               false. Aurora instances (`engine` starting with `aurora` on an `aws_db_instance`) \
               are not applicable: Aurora snapshots are taken of the cluster. A value known only \
               after apply is indeterminate. Under `remediate` guardrail sets the flag.",
        why: "Snapshots outlive their databases and are copied across accounts and regions. Tags \
              are how an organisation knows which snapshot holds regulated data, who owns it and \
              who pays for it, and tag-based IAM conditions decide who may restore or share it; \
              untagged snapshots fall outside all of that.",
        noncompliant: r#"Pulumi (TypeScript):

    const db = new aws.rds.Instance("orders", {
        engine: "postgres",
        instanceClass: "db.t4g.medium",
        allocatedStorage: 50,
        tags: { DataClass: "confidential" },
    });

Terraform:

    resource "aws_rds_cluster" "orders" {
      engine          = "aurora-postgresql"
      master_username = "appadmin"
      tags            = { DataClass = "confidential" }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const db = new aws.rds.Instance("orders", {
        engine: "postgres",
        instanceClass: "db.t4g.medium",
        allocatedStorage: 50,
        tags: { DataClass: "confidential" },
        copyTagsToSnapshot: true,
    });

Terraform:

    resource "aws_rds_cluster" "orders" {
      engine                = "aurora-postgresql"
      master_username       = "appadmin"
      tags                  = { DataClass = "confidential" }
      copy_tags_to_snapshot = true
    }"#,
        fix: "Pulumi: `copyTagsToSnapshot: true`; Terraform: `copy_tags_to_snapshot = true`. The \
              change is online and affects only snapshots taken afterwards; tag existing \
              snapshots by hand. Under `remediate` guardrail sets the flag (a safe fix).",
        references: &[
            "AWS: Copying tags to DB instance snapshots — https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Tagging.html#USER_Tagging.CopyTags",
            "AWS Security Hub: Amazon RDS controls — https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html (RDS.16, RDS.17)",
            "NIST SP 800-53 Rev. 5: CM-8; ISO/IEC 27001:2022: A.5.9",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

fn applies(view: ResourceView<'_>) -> Result<bool, Halt> {
    Ok(view.resource.type_.contains("luster")
        || !engine(view)?.is_some_and(|e| e.starts_with("aurora")))
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if !applies(view)? {
        return Ok(Verdict::not_applicable(
            "Aurora snapshots are taken of the cluster",
        ));
    }
    let noun = if view.resource.type_.contains("luster") {
        "DB cluster"
    } else {
        "RDS instance"
    };
    expect_flag(
        view,
        "copyTagsToSnapshot",
        true,
        false,
        &format!("{} does not copy its tags to snapshots", who(view, noun)),
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if !applies(view)? {
        return Ok(None);
    }
    fix_flag(view, "copyTagsToSnapshot", true, false)
}
