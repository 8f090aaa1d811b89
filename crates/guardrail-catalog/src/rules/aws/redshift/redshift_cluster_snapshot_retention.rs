//! AWS-REDSHIFT-006: Redshift clusters keep automated snapshots for at least a week.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};
use serde_json::json;

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, config_int, number, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-REDSHIFT-006",
    name: "redshift-cluster-snapshot-retention",
    title: "Redshift clusters keep automated snapshots for at least a week",
    description: "Automated snapshots kept for less than the configured minimum (7 days by \
                  default), or turned off, leave too short a window to recover the warehouse.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["redshift"],
    topics: &["backup", "resilience"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "soc2",
            controls: &["A1.2"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.13"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.308(a)(7)(ii)(A)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["CP-9"],
        },
    ]),
    resource_types: &[
        "aws_redshift_cluster",
        "aws:redshift/cluster:Cluster",
    ],
    remediation: "Set `automated_snapshot_retention_period` (Pulumi \
                  `automatedSnapshotRetentionPeriod`) to at least 7.",
    fix: FixSafety::None,
    config_schema: Some(schema),
    docs: RuleDocs {
        what: "Redshift clusters (`aws_redshift_cluster`, Pulumi `aws:redshift/cluster:Cluster`): \
               `automated_snapshot_retention_period` (Pulumi `automatedSnapshotRetentionPeriod`) \
               must be at least `minimum_days` (default 7). 0 turns automated snapshots off; \
               absent means AWS's default of 1 day. A value known only after apply is \
               indeterminate. This covers the snapshot-retention part of the AWSGuard \
               `redshift-cluster-maintenance-settings` check (a minimum in place of AWSGuard's \
               exact value).",
        why: "Automated snapshots are the warehouse's point-in-time recovery. With one day, a bad \
              ETL run or a dropped schema noticed after a weekend can no longer be undone; with \
              none, recovery depends on manual snapshots someone remembered to take.",
        noncompliant: r#"Pulumi (TypeScript):

    const dw = new aws.redshift.Cluster("analytics", {
        clusterIdentifier: "analytics",
        nodeType: "ra3.xlplus",
        automatedSnapshotRetentionPeriod: 1,
    });

Terraform:

    resource "aws_redshift_cluster" "analytics" {
      cluster_identifier                  = "analytics"
      node_type                           = "ra3.xlplus"
      automated_snapshot_retention_period = 1
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const dw = new aws.redshift.Cluster("analytics", {
        clusterIdentifier: "analytics",
        nodeType: "ra3.xlplus",
        automatedSnapshotRetentionPeriod: 14,
    });

Terraform:

    resource "aws_redshift_cluster" "analytics" {
      cluster_identifier                  = "analytics"
      node_type                           = "ra3.xlplus"
      automated_snapshot_retention_period = 14
    }"#,
        fix: "Pulumi: `automatedSnapshotRetentionPeriod: 7` or more; Terraform: \
              `automated_snapshot_retention_period = 7` or more (up to 35). The change is online. \
              Configure the rule's `minimum_days` for a different policy.",
        references: &[
            "AWS: Amazon Redshift snapshots and backups — https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-snapshots.html",
            "AWS Security Hub: Amazon Redshift controls — https://docs.aws.amazon.com/securityhub/latest/userguide/redshift-controls.html (Redshift.3)",
            "Pulumi AWSGuard: redshift-cluster-maintenance-settings (automatedSnapshotRetentionPeriod)",
            "NIST SP 800-53 Rev. 5: CP-9; ISO/IEC 27001:2022: A.8.13; SOC 2: A1.2",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn schema() -> serde_json::Value {
    json!({
        "type": "object",
        "properties": {
            "minimum_days": {
                "description": "The shortest acceptable automated snapshot retention, in days.",
                "type": "integer",
                "minimum": 1,
                "maximum": 35,
                "default": 7
            }
        }
    })
}

fn validate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Verdict, Halt> {
    let minimum = config_int(config, "minimum_days", "a whole number of days")?;
    let at = at(view, "automatedSnapshotRetentionPeriod");
    let (days, note) = match number(view, "automatedSnapshotRetentionPeriod")? {
        Some(days) => (days, format!("`{at}` is {days}")),
        None => (1, format!("`{at}` is not set and defaults to 1")),
    };
    let cluster = who(view, "Redshift cluster");
    let message = if days <= 0 {
        format!("{cluster} has automated snapshots turned off ({note})")
    } else if days < minimum {
        format!(
            "{cluster} keeps automated snapshots for {days} day{}, fewer than {minimum} ({note})",
            if days == 1 { "" } else { "s" }
        )
    } else {
        return Ok(Verdict::Pass);
    };
    Ok(Verdict::violation(Violation::new(message).at(at)))
}
