//! AWS-DYNAMODB-005: DynamoDB Accelerator clusters encrypt data at rest.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::required_flag_verdict;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-DYNAMODB-005",
    name: "dax-cluster-encrypted-at-rest",
    title: "DynamoDB Accelerator clusters encrypt data at rest",
    description: "A DAX cluster caches table items on its nodes' disks; without server-side \
                  encryption that cached copy of the data is unencrypted at rest.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["dynamodb", "dax"],
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
        "aws_dax_cluster",
        "aws:dax/cluster:Cluster",
    ],
    remediation: "Create the cluster with `server_side_encryption { enabled = true }` (Pulumi \
                  `serverSideEncryption: { enabled: true }`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "DAX clusters (`aws_dax_cluster`, Pulumi `aws:dax/cluster:Cluster`): \
               `server_side_encryption.enabled` (Pulumi `serverSideEncryption.enabled`) must be \
               true. A missing block or `enabled = false` is a violation. A value known only \
               after apply is indeterminate.",
        why: "DAX holds copies of DynamoDB items, often the hottest and most sensitive ones. \
              Encrypting the table but not the cache leaves the same data unprotected on the \
              cache nodes' storage; encryption at rest can only be chosen when the cluster is \
              created.",
        noncompliant: r#"Pulumi (TypeScript):

    const cache = new aws.dax.Cluster("orders", {
        clusterName: "orders-cache",
        nodeType: "dax.r5.large",
        replicationFactor: 3,
        iamRoleArn: daxRole.arn,
    });

Terraform:

    resource "aws_dax_cluster" "orders" {
      cluster_name       = "orders-cache"
      node_type          = "dax.r5.large"
      replication_factor = 3
      iam_role_arn       = aws_iam_role.dax.arn
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const cache = new aws.dax.Cluster("orders", {
        clusterName: "orders-cache",
        nodeType: "dax.r5.large",
        replicationFactor: 3,
        iamRoleArn: daxRole.arn,
        serverSideEncryption: { enabled: true },
    });

Terraform:

    resource "aws_dax_cluster" "orders" {
      cluster_name       = "orders-cache"
      node_type          = "dax.r5.large"
      replication_factor = 3
      iam_role_arn       = aws_iam_role.dax.arn
      server_side_encryption {
        enabled = true
      }
    }"#,
        fix: "Pulumi: `serverSideEncryption: { enabled: true }`; Terraform: \
              `server_side_encryption { enabled = true }`. The setting forces a new cluster; \
              since DAX is a cache, replacing it loses only cached items.",
        references: &[
            "AWS: DAX encryption at rest — https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DAXEncryptionAtRest.html",
            "AWS Security Hub: Amazon DynamoDB controls — https://docs.aws.amazon.com/securityhub/latest/userguide/dynamodb-controls.html (DynamoDB.3)",
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
    required_flag_verdict(
        view,
        "serverSideEncryption.enabled",
        "serverSideEncryption",
        "DAX cluster",
        "does not encrypt cached data at rest",
    )
}
