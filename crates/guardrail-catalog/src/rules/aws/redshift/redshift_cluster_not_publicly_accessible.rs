//! AWS-REDSHIFT-002: Redshift clusters are not publicly accessible.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{expect_flag, fix_flag, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-REDSHIFT-002",
    name: "redshift-cluster-not-publicly-accessible",
    title: "Redshift clusters are not publicly accessible",
    description: "A publicly accessible Redshift cluster gets a public endpoint, exposing the \
                  warehouse's SQL port to the internet wherever security groups allow.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["redshift"],
    topics: &["public-access", "network"],
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
        "aws_redshift_cluster",
        "aws:redshift/cluster:Cluster",
    ],
    remediation: "Set `publicly_accessible = false` (Pulumi `publiclyAccessible: false`).",
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Redshift clusters (`aws_redshift_cluster`, Pulumi `aws:redshift/cluster:Cluster`): \
               `publicly_accessible` (Pulumi `publiclyAccessible`) must be false. Absent is a \
               violation: provider versions before 6 default it to true. A value known only after \
               apply is indeterminate. Under `remediate` guardrail sets it to false (unsafe: \
               clients outside the VPC lose access). This is the AWSGuard \
               `redshift-cluster-public-access` check.",
        why: "A public warehouse endpoint invites password guessing against the most data-rich \
              system an organisation runs. Analysts and BI tools can reach a private cluster \
              through a VPN, PrivateLink or the Redshift Data API instead.",
        noncompliant: r#"Pulumi (TypeScript):

    const dw = new aws.redshift.Cluster("analytics", {
        clusterIdentifier: "analytics",
        nodeType: "ra3.xlplus",
        publiclyAccessible: true,
    });

Terraform:

    resource "aws_redshift_cluster" "analytics" {
      cluster_identifier  = "analytics"
      node_type           = "ra3.xlplus"
      publicly_accessible = true
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const dw = new aws.redshift.Cluster("analytics", {
        clusterIdentifier: "analytics",
        nodeType: "ra3.xlplus",
        publiclyAccessible: false,
        clusterSubnetGroupName: privateSubnets.name,
    });

Terraform:

    resource "aws_redshift_cluster" "analytics" {
      cluster_identifier        = "analytics"
      node_type                 = "ra3.xlplus"
      publicly_accessible       = false
      cluster_subnet_group_name = aws_redshift_subnet_group.private.name
    }"#,
        fix: "Pulumi: `publiclyAccessible: false`; Terraform: `publicly_accessible = false`, with \
              the cluster in private subnets. Connect through the VPC, a VPN, a Redshift-managed \
              VPC endpoint or the Data API. Under `remediate` guardrail sets the flag; the fix is \
              unsafe because clients that connect over the internet lose access.",
        references: &[
            "AWS: Managing clusters in a VPC (public accessibility) — https://docs.aws.amazon.com/redshift/latest/mgmt/managing-clusters-vpc.html",
            "AWS Security Hub: Amazon Redshift controls — https://docs.aws.amazon.com/securityhub/latest/userguide/redshift-controls.html (Redshift.1)",
            "Pulumi AWSGuard: redshift-cluster-public-access",
            "PCI DSS v4.0: 1.4.4; NIST SP 800-53 Rev. 5: AC-3, SC-7; ISO/IEC 27001:2022: A.8.20; SOC 2: CC6.6",
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
        "publiclyAccessible",
        false,
        true,
        &format!("{} is publicly accessible", who(view, "Redshift cluster")),
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    fix_flag(view, "publiclyAccessible", false, true)
}
