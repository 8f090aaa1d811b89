//! AWS-RDS-014: RDS snapshots are not shared publicly.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, string_list, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-RDS-014",
    name: "rds-snapshot-not-public",
    title: "RDS snapshots are not shared publicly",
    description: "A snapshot shared with `all` can be restored by any AWS account in the world, \
                  which hands over a complete copy of the database.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["rds"],
    topics: &["public-access"],
    frameworks: Frameworks::Mapped(&[
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
        "aws_db_snapshot",
        "aws:rds/snapshot:Snapshot",
        "aws_db_cluster_snapshot",
        "aws:rds/clusterSnapshot:ClusterSnapshot",
        "aws_db_snapshot_copy",
        "aws:rds/snapshotCopy:SnapshotCopy",
    ],
    remediation: "Remove `all` from `shared_accounts` (Pulumi `sharedAccounts`) and share with \
                  named account ids only.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Manual RDS snapshots (`aws_db_snapshot`, `aws_db_cluster_snapshot`, \
               `aws_db_snapshot_copy`; Pulumi `aws:rds/snapshot:Snapshot`, \
               `aws:rds/clusterSnapshot:ClusterSnapshot`, `aws:rds/snapshotCopy:SnapshotCopy`): \
               `shared_accounts` (Pulumi `sharedAccounts`) must not contain `all`, which makes \
               the snapshot public. Sharing with specific account ids passes. An item known only \
               after apply is indeterminate.",
        why: "Public RDS snapshots are listed for every AWS account and are regularly found by \
              researchers and attackers scanning for them; restoring one gives the full database, \
              including password hashes and personal data. Unencrypted snapshots are the ones \
              that can be made public, so the exposure is complete.",
        noncompliant: r#"Pulumi (TypeScript):

    const snap = new aws.rds.Snapshot("orders-export", {
        dbInstanceIdentifier: db.identifier,
        dbSnapshotIdentifier: "orders-export",
        sharedAccounts: ["all"],
    });

Terraform:

    resource "aws_db_snapshot" "orders_export" {
      db_instance_identifier = aws_db_instance.orders.identifier
      db_snapshot_identifier = "orders-export"
      shared_accounts        = ["all"]
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const snap = new aws.rds.Snapshot("orders-export", {
        dbInstanceIdentifier: db.identifier,
        dbSnapshotIdentifier: "orders-export",
        sharedAccounts: ["444455556666"],
    });

Terraform:

    resource "aws_db_snapshot" "orders_export" {
      db_instance_identifier = aws_db_instance.orders.identifier
      db_snapshot_identifier = "orders-export"
      shared_accounts        = ["444455556666"]
    }"#,
        fix: "Pulumi: remove `\"all\"` from `sharedAccounts`; Terraform: remove `\"all\"` from \
              `shared_accounts`, listing the account ids that need the snapshot instead. Check \
              CloudTrail for `RestoreDBInstanceFromDBSnapshot` calls from unknown accounts while \
              the snapshot was public, and treat its contents as exposed.",
        references: &[
            "AWS: Sharing a DB snapshot — https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ShareSnapshot.html",
            "AWS Security Hub: Amazon RDS controls — https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html (RDS.1)",
            "PCI DSS v4.0: 1.4.4; NIST SP 800-53 Rev. 5: AC-3, SC-7; ISO/IEC 27001:2022: A.8.20; SOC 2: CC6.6",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let shared = string_list(view, "sharedAccounts")?;
    let Some(index) = shared
        .iter()
        .position(|a| a.trim().eq_ignore_ascii_case("all"))
    else {
        return Ok(Verdict::Pass);
    };
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} is shared with `all`, so any AWS account can restore it",
            who(view, "RDS snapshot")
        ))
        .at(format!("{}[{index}]", at(view, "sharedAccounts"))),
    ))
}
