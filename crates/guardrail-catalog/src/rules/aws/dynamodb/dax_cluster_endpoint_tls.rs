//! AWS-DYNAMODB-006: DynamoDB Accelerator clusters encrypt client connections with TLS.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, text, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-DYNAMODB-006",
    name: "dax-cluster-endpoint-tls",
    title: "DynamoDB Accelerator clusters encrypt client connections with TLS",
    description: "A DAX cluster endpoint without TLS carries items, keys and queries in plaintext \
                  between the application and the cache.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["dynamodb", "dax"],
    topics: &["tls", "encryption"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["4.2.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.7"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.24"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(e)(1)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-8"],
        },
    ]),
    resource_types: &[
        "aws_dax_cluster",
        "aws:dax/cluster:Cluster",
    ],
    remediation: "Create the cluster with `cluster_endpoint_encryption_type = \"TLS\"` (Pulumi \
                  `clusterEndpointEncryptionType: \"TLS\"`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "DAX clusters (`aws_dax_cluster`, Pulumi `aws:dax/cluster:Cluster`): \
               `cluster_endpoint_encryption_type` (Pulumi `clusterEndpointEncryptionType`) must \
               be `TLS`. Absent means `NONE` and is a violation. A value known only after apply \
               is indeterminate.",
        why: "Everything the application reads through DAX — often the same data as the table — \
              crosses the VPC network to the cache. Without TLS, any host that can observe that \
              traffic reads it; the table's own encryption does not help.",
        noncompliant: r#"Pulumi (TypeScript):

    const cache = new aws.dax.Cluster("orders", {
        clusterName: "orders-cache",
        nodeType: "dax.r5.large",
        replicationFactor: 3,
        iamRoleArn: daxRole.arn,
    });

Terraform:

    resource "aws_dax_cluster" "orders" {
      cluster_name                     = "orders-cache"
      node_type                        = "dax.r5.large"
      replication_factor               = 3
      iam_role_arn                     = aws_iam_role.dax.arn
      cluster_endpoint_encryption_type = "NONE"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const cache = new aws.dax.Cluster("orders", {
        clusterName: "orders-cache",
        nodeType: "dax.r5.large",
        replicationFactor: 3,
        iamRoleArn: daxRole.arn,
        clusterEndpointEncryptionType: "TLS",
    });

Terraform:

    resource "aws_dax_cluster" "orders" {
      cluster_name                     = "orders-cache"
      node_type                        = "dax.r5.large"
      replication_factor               = 3
      iam_role_arn                     = aws_iam_role.dax.arn
      cluster_endpoint_encryption_type = "TLS"
    }"#,
        fix: "Pulumi: `clusterEndpointEncryptionType: \"TLS\"`; Terraform: \
              `cluster_endpoint_encryption_type = \"TLS\"`. The setting forces a new cluster (a \
              new endpoint, `daxs://`), and clients need a DAX SDK version that supports TLS.",
        references: &[
            "AWS: DAX encryption in transit — https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DAXEncryptionInTransit.html",
            "AWS Security Hub: Amazon DynamoDB controls — https://docs.aws.amazon.com/securityhub/latest/userguide/dynamodb-controls.html (DynamoDB.7)",
            "PCI DSS v4.0: 4.2.1; HIPAA: 164.312(e)(1); NIST SP 800-53 Rev. 5: SC-8",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let at = at(view, "clusterEndpointEncryptionType");
    let note = match text(view, "clusterEndpointEncryptionType")? {
        Some(kind) if kind.eq_ignore_ascii_case("tls") => return Ok(Verdict::Pass),
        Some(kind) => format!("`{at}` is `{kind}`"),
        None => format!("`{at}` is not set and defaults to `NONE`"),
    };
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} serves clients without TLS ({note})",
            who(view, "DAX cluster")
        ))
        .at(at),
    ))
}
