//! AWS-REDSHIFT-005: Redshift clusters take version upgrades automatically.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{expect_flag, fix_flag, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-REDSHIFT-005",
    name: "redshift-cluster-version-upgrades",
    title: "Redshift clusters take version upgrades automatically",
    description: "With `allow_version_upgrade` off, the cluster stays on old Redshift releases \
                  and misses their security fixes.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["redshift"],
    topics: &["vulnerability-management"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["6.3.3"],
        },
        Control {
            framework: "soc2",
            controls: &["CC7.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.8"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SI-2"],
        },
    ]),
    resource_types: &[
        "aws_redshift_cluster",
        "aws:redshift/cluster:Cluster",
    ],
    remediation: "Remove `allow_version_upgrade = false` or set it to true (Pulumi \
                  `allowVersionUpgrade: true`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Redshift clusters (`aws_redshift_cluster`, Pulumi `aws:redshift/cluster:Cluster`): \
               `allow_version_upgrade` (Pulumi `allowVersionUpgrade`) must not be false. Absent \
               means the default, true. A value known only after apply is indeterminate. Under \
               `remediate` guardrail sets it to true. This is the version-upgrade part of the \
               AWSGuard `redshift-cluster-maintenance-settings` check.",
        why: "Redshift ships engine fixes, including security fixes, through cluster version \
              upgrades applied in the maintenance window. A cluster that refuses them drifts \
              behind until a forced upgrade happens on AWS's schedule instead of yours.",
        noncompliant: r#"Pulumi (TypeScript):

    const dw = new aws.redshift.Cluster("analytics", {
        clusterIdentifier: "analytics",
        nodeType: "ra3.xlplus",
        allowVersionUpgrade: false,
    });

Terraform:

    resource "aws_redshift_cluster" "analytics" {
      cluster_identifier    = "analytics"
      node_type             = "ra3.xlplus"
      allow_version_upgrade = false
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const dw = new aws.redshift.Cluster("analytics", {
        clusterIdentifier: "analytics",
        nodeType: "ra3.xlplus",
        allowVersionUpgrade: true,
        preferredMaintenanceWindow: "sun:03:00-sun:03:30",
    });

Terraform:

    resource "aws_redshift_cluster" "analytics" {
      cluster_identifier           = "analytics"
      node_type                    = "ra3.xlplus"
      allow_version_upgrade        = true
      preferred_maintenance_window = "sun:03:00-sun:03:30"
    }"#,
        fix: "Pulumi: `allowVersionUpgrade: true` (or leave it out); Terraform: \
              `allow_version_upgrade = true` (or leave it out), with a \
              `preferred_maintenance_window`. Under `remediate` guardrail sets it (a safe fix: \
              upgrades happen in the maintenance window).",
        references: &[
            "AWS: Maintenance windows and cluster versions — https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-clusters.html#rs-maintenance-windows",
            "AWS Security Hub: Amazon Redshift controls — https://docs.aws.amazon.com/securityhub/latest/userguide/redshift-controls.html (Redshift.6)",
            "Pulumi AWSGuard: redshift-cluster-maintenance-settings (allowVersionUpgrade)",
            "PCI DSS v4.0: 6.3.3; NIST SP 800-53 Rev. 5: SI-2; ISO/IEC 27001:2022: A.8.8",
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
        "allowVersionUpgrade",
        true,
        true,
        &format!(
            "{} does not take version upgrades",
            who(view, "Redshift cluster")
        ),
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    fix_flag(view, "allowVersionUpgrade", true, true)
}
