//! AWS-REDSHIFT-001: Redshift clusters encrypt data at rest.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{expect_flag, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-REDSHIFT-001",
    name: "redshift-cluster-encrypted",
    title: "Redshift clusters encrypt data at rest",
    description: "An unencrypted Redshift cluster stores its tables, snapshots and backups \
                  without encryption at rest.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["redshift"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["3.5.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.24"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(a)(2)(iv)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-28"],
        },
    ]),
    resource_types: &[
        "aws_redshift_cluster",
        "aws:redshift/cluster:Cluster",
    ],
    remediation: "Set `encrypted = true` (Pulumi `encrypted: true`), optionally with a \
                  customer-managed `kms_key_id`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Redshift clusters (`aws_redshift_cluster`, Pulumi `aws:redshift/cluster:Cluster`): \
               `encrypted` must be true. Absent is a violation: provider versions before 6 \
               default it to false, and the rule asks for the setting to be explicit. A value \
               known only after apply is indeterminate. This is the encryption part of the \
               AWSGuard `redshift-cluster-configuration` check.",
        why: "Data warehouses concentrate an organisation's data in one place. Unencrypted \
              storage and snapshots put all of it outside KMS access control: a shared or copied \
              snapshot is readable by whoever holds it.",
        noncompliant: r#"Pulumi (TypeScript):

    const dw = new aws.redshift.Cluster("analytics", {
        clusterIdentifier: "analytics",
        nodeType: "ra3.xlplus",
        numberOfNodes: 2,
        encrypted: false,
    });

Terraform:

    resource "aws_redshift_cluster" "analytics" {
      cluster_identifier = "analytics"
      node_type          = "ra3.xlplus"
      number_of_nodes    = 2
      encrypted          = false
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const dw = new aws.redshift.Cluster("analytics", {
        clusterIdentifier: "analytics",
        nodeType: "ra3.xlplus",
        numberOfNodes: 2,
        encrypted: true,
        kmsKeyId: dataKey.arn,
    });

Terraform:

    resource "aws_redshift_cluster" "analytics" {
      cluster_identifier = "analytics"
      node_type          = "ra3.xlplus"
      number_of_nodes    = 2
      encrypted          = true
      kms_key_id         = aws_kms_key.data.arn
    }"#,
        fix: "Pulumi: `encrypted: true` (and `kmsKeyId`); Terraform: `encrypted = true` (and \
              `kms_key_id`). Redshift encrypts an existing cluster online (the cluster is \
              read-only while it migrates), so plan a window for large clusters.",
        references: &[
            "AWS: Amazon Redshift database encryption — https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html",
            "AWS Security Hub: Amazon Redshift controls — https://docs.aws.amazon.com/securityhub/latest/userguide/redshift-controls.html (Redshift.10)",
            "Pulumi AWSGuard: redshift-cluster-configuration (clusterDbEncrypted)",
            "PCI DSS v4.0: 3.5.1; HIPAA: 164.312(a)(2)(iv); NIST SP 800-53 Rev. 5: SC-28",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    expect_flag(
        view,
        "encrypted",
        true,
        false,
        &format!(
            "{} does not encrypt data at rest",
            who(view, "Redshift cluster")
        ),
    )
}
