//! AWS-REDSHIFT-008: Redshift clusters do not use the default administrator name.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, text, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-REDSHIFT-008",
    name: "redshift-cluster-custom-admin-username",
    title: "Redshift clusters do not use the default administrator name",
    description: "`awsuser`, the console's default Redshift administrator name, gives \
                  password-guessing attacks half of the credentials.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["redshift"],
    topics: &["identity"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["2.2.2"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.9"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-2", "CM-6"],
        },
    ]),
    resource_types: &[
        "aws_redshift_cluster",
        "aws:redshift/cluster:Cluster",
    ],
    remediation: "Choose a `master_username` (Pulumi `masterUsername`) other than `awsuser`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Redshift clusters (`aws_redshift_cluster`, Pulumi `aws:redshift/cluster:Cluster`): \
               `master_username` (Pulumi `masterUsername`) must not be `awsuser` (compared \
               ignoring case). Clusters without a username (restored from a snapshot) are not \
               applicable. A value known only after apply is indeterminate.",
        why: "Default administrator names are the first thing brute-force tools try. A \
              workload-specific name makes guessing harder and makes such attempts easy to spot \
              in connection logs.",
        noncompliant: r#"Pulumi (TypeScript):

    const dw = new aws.redshift.Cluster("analytics", {
        clusterIdentifier: "analytics",
        nodeType: "ra3.xlplus",
        masterUsername: "awsuser",
        manageMasterPassword: true,
    });

Terraform:

    resource "aws_redshift_cluster" "analytics" {
      cluster_identifier     = "analytics"
      node_type              = "ra3.xlplus"
      master_username        = "awsuser"
      manage_master_password = true
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const dw = new aws.redshift.Cluster("analytics", {
        clusterIdentifier: "analytics",
        nodeType: "ra3.xlplus",
        masterUsername: "analytics_owner",
        manageMasterPassword: true,
    });

Terraform:

    resource "aws_redshift_cluster" "analytics" {
      cluster_identifier     = "analytics"
      node_type              = "ra3.xlplus"
      master_username        = "analytics_owner"
      manage_master_password = true
    }"#,
        fix: "Pulumi: `masterUsername: \"analytics_owner\"`; Terraform: `master_username = \
              \"analytics_owner\"`. The administrator name cannot be changed on an existing \
              cluster: restore a snapshot into a new cluster with a custom name, or exempt the \
              existing one.",
        references: &[
            "AWS: Superusers and the admin user in Amazon Redshift — https://docs.aws.amazon.com/redshift/latest/dg/r_superusers.html",
            "AWS Security Hub: Amazon Redshift controls — https://docs.aws.amazon.com/securityhub/latest/userguide/redshift-controls.html (Redshift.8)",
            "PCI DSS v4.0: 2.2.2; NIST SP 800-53 Rev. 5: AC-2, CM-6; ISO/IEC 27001:2022: A.8.9",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let Some(name) = text(view, "masterUsername")? else {
        return Ok(Verdict::not_applicable(
            "no administrator name (restored from a snapshot)",
        ));
    };
    if !name.trim().eq_ignore_ascii_case("awsuser") {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} uses the default administrator name `{name}`",
            who(view, "Redshift cluster")
        ))
        .at(at(view, "masterUsername")),
    ))
}
