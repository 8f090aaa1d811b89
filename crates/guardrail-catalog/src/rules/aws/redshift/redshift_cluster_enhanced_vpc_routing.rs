//! AWS-REDSHIFT-004: Redshift clusters use enhanced VPC routing.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{expect_flag, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-REDSHIFT-004",
    name: "redshift-cluster-enhanced-vpc-routing",
    title: "Redshift clusters use enhanced VPC routing",
    description: "Without enhanced VPC routing, COPY and UNLOAD traffic between the cluster and \
                  S3 bypasses the VPC's endpoints, flow logs and network controls.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["redshift"],
    topics: &["network"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "soc2",
            controls: &["CC6.6"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.22"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-4", "SC-7"],
        },
    ]),
    resource_types: &[
        "aws_redshift_cluster",
        "aws:redshift/cluster:Cluster",
    ],
    remediation: "Set `enhanced_vpc_routing = true` (Pulumi `enhancedVpcRouting: true`) and \
                  provide VPC endpoints or NAT for S3.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Redshift clusters (`aws_redshift_cluster`, Pulumi `aws:redshift/cluster:Cluster`): \
               `enhanced_vpc_routing` (Pulumi `enhancedVpcRouting`) must be true. Absent means \
               false. A value known only after apply is indeterminate.",
        why: "Bulk loads and unloads are the largest data movements a warehouse makes. With \
              enhanced VPC routing they go through the VPC, where S3 endpoint policies can \
              restrict them to approved buckets and flow logs record them; otherwise they leave \
              over AWS's network outside those controls, an easy exfiltration path.",
        noncompliant: r#"Pulumi (TypeScript):

    const dw = new aws.redshift.Cluster("analytics", {
        clusterIdentifier: "analytics",
        nodeType: "ra3.xlplus",
    });

Terraform:

    resource "aws_redshift_cluster" "analytics" {
      cluster_identifier   = "analytics"
      node_type            = "ra3.xlplus"
      enhanced_vpc_routing = false
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const dw = new aws.redshift.Cluster("analytics", {
        clusterIdentifier: "analytics",
        nodeType: "ra3.xlplus",
        enhancedVpcRouting: true,
    });

Terraform:

    resource "aws_redshift_cluster" "analytics" {
      cluster_identifier   = "analytics"
      node_type            = "ra3.xlplus"
      enhanced_vpc_routing = true
    }"#,
        fix: "Pulumi: `enhancedVpcRouting: true`; Terraform: `enhanced_vpc_routing = true`. Add \
              an S3 gateway endpoint (with a policy limiting buckets) or NAT so COPY and UNLOAD \
              keep working; the change restarts the cluster.",
        references: &[
            "AWS: Enhanced VPC routing in Amazon Redshift — https://docs.aws.amazon.com/redshift/latest/mgmt/enhanced-vpc-routing.html",
            "AWS Security Hub: Amazon Redshift controls — https://docs.aws.amazon.com/securityhub/latest/userguide/redshift-controls.html (Redshift.7)",
            "NIST SP 800-53 Rev. 5: AC-4, SC-7; ISO/IEC 27001:2022: A.8.22; SOC 2: CC6.6",
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
        "enhancedVpcRouting",
        true,
        false,
        &format!(
            "{} does not use enhanced VPC routing",
            who(view, "Redshift cluster")
        ),
    )
}
