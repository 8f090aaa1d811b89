//! AWS-EC2-012: EBS snapshot public sharing is blocked for the region.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use super::{block_public_access_fix, block_public_access_verdict};
use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EC2-012",
    name: "ebs-snapshot-block-public-access",
    title: "EBS snapshot block public access blocks all sharing",
    description: "Block public access for EBS snapshots stops anyone in the account from \
                  sharing a snapshot — a full copy of a disk — with the whole world.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["ec2", "ebs"],
    topics: &["public-access"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["7.2.1"] },
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.8.3"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "AC-21"] },
    ]),
    resource_types: &[
        "aws_ebs_snapshot_block_public_access",
        "aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess",
    ],
    remediation: "Set `state` to `block-all-sharing`.",
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_ebs_snapshot_block_public_access` (Pulumi \
               `aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess`) must set `state` \
               to `block-all-sharing`. `block-new-sharing` leaves snapshots that are already \
               public public, and `unblocked` allows everything; both are violations. A state \
               known only after apply is indeterminate.",
        why: "A public EBS snapshot can be copied by any AWS account and mounted as a disk: \
              every file, database and key on the volume is readable. Researchers regularly \
              find thousands of public snapshots with credentials and customer data. The \
              regional block makes public sharing impossible regardless of what individual \
              snapshot permissions say.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ebs.SnapshotBlockPublicAccess("block", { state: "block-new-sharing" });

Terraform:

    resource "aws_ebs_snapshot_block_public_access" "block" {
      state = "block-new-sharing"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ebs.SnapshotBlockPublicAccess("block", { state: "block-all-sharing" });

Terraform:

    resource "aws_ebs_snapshot_block_public_access" "block" {
      state = "block-all-sharing"
    }"#,
        fix: "Set `state = \"block-all-sharing\"` (Pulumi `state: \"block-all-sharing\"`) in every \
              region you use. Under `remediate` guardrail sets it; the fix is unsafe because \
              snapshots that are public on purpose stop being public.",
        references: &[
            "AWS: Block public access for Amazon EBS snapshots — https://docs.aws.amazon.com/ebs/latest/userguide/block-public-access-snapshots.html",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const WANT: &str = "block-all-sharing";

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    block_public_access_verdict(view, WANT, "snapshot block public access")
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    block_public_access_fix(view, WANT)
}
