//! AWS-REDSHIFT-003: Redshift clusters have audit logging enabled.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, StackFinding, StackView, Value, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, unlinked, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-REDSHIFT-003",
    name: "redshift-cluster-audit-logging",
    title: "Redshift clusters have audit logging enabled",
    description: "Without audit logging, connections, user changes and queries against the \
                  warehouse leave no record outside the cluster's short-lived system tables.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["redshift"],
    topics: &["logging"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["10.2.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC7.2"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.15"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(b)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AU-2", "AU-12"],
        },
    ]),
    resource_types: &[
        "aws_redshift_cluster",
        "aws:redshift/cluster:Cluster",
        "aws_redshift_logging",
        "aws:redshift/logging:Logging",
    ],
    remediation: "Add an `aws_redshift_logging` (Pulumi `aws.redshift.Logging`) for the cluster, \
                  or enable the cluster's `logging` block (older providers).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "A stack rule over Redshift clusters (`aws_redshift_cluster`, Pulumi \
               `aws:redshift/cluster:Cluster`). Each cluster must have audit logging: either an \
               `aws_redshift_logging` (Pulumi `aws:redshift/logging:Logging`) in the same stack \
               whose `cluster_identifier` (Pulumi `clusterIdentifier`) refers to it — by the \
               cluster's identifier or id, or a property dependency of `cluster_identifier` on it \
               (Pulumi's, or the argument's reference in a Terraform plan's configuration) — or, with provider versions \
               that still have it, the inline `logging.enable` (Pulumi `logging.enable`) set to \
               true. A link or flag known only after apply that could be the only cover makes the \
               outcome indeterminate. The finding is attributed to the cluster. This is the \
               logging part of the AWSGuard `redshift-cluster-configuration` check.",
        why: "Audit logs (connection, user and user-activity logs) are how access to warehouse \
              data is reviewed and how an exfiltration or a misused service account is \
              investigated. The system tables inside the cluster keep only a few days and are \
              lost with the cluster.",
        noncompliant: r#"Pulumi (TypeScript):

    const dw = new aws.redshift.Cluster("analytics", {
        clusterIdentifier: "analytics",
        nodeType: "ra3.xlplus",
    });

Terraform:

    resource "aws_redshift_cluster" "analytics" {
      cluster_identifier = "analytics"
      node_type          = "ra3.xlplus"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const dw = new aws.redshift.Cluster("analytics", { clusterIdentifier: "analytics", nodeType: "ra3.xlplus" });
    const audit = new aws.redshift.Logging("analytics", {
        clusterIdentifier: dw.clusterIdentifier,
        logDestinationType: "cloudwatch",
        logExports: ["connectionlog", "userlog", "useractivitylog"],
    });

Terraform:

    resource "aws_redshift_cluster" "analytics" {
      cluster_identifier = "analytics"
      node_type          = "ra3.xlplus"
    }

    resource "aws_redshift_logging" "analytics" {
      cluster_identifier   = aws_redshift_cluster.analytics.cluster_identifier
      log_destination_type = "cloudwatch"
      log_exports          = ["connectionlog", "userlog", "useractivitylog"]
    }"#,
        fix: "Pulumi: `new aws.redshift.Logging(name, { clusterIdentifier, logDestinationType: \
              \"cloudwatch\", logExports: [...] })`; Terraform: an `aws_redshift_logging` with \
              `cluster_identifier`, `log_destination_type` and `log_exports` (or an S3 \
              `bucket_name`). The user activity log also needs `enable_user_activity_logging = \
              true` in the cluster's parameter group.",
        references: &[
            "AWS: Database audit logging in Amazon Redshift — https://docs.aws.amazon.com/redshift/latest/mgmt/db-auditing.html",
            "AWS Security Hub: Amazon Redshift controls — https://docs.aws.amazon.com/securityhub/latest/userguide/redshift-controls.html (Redshift.4)",
            "Pulumi AWSGuard: redshift-cluster-configuration (loggingEnabled)",
            "PCI DSS v4.0: 10.2.1; HIPAA: 164.312(b); NIST SP 800-53 Rev. 5: AU-2, AU-12",
        ],
    },
    check: Check::Stack(validate),
    source: file!(),
};

/// The resources checked.
const TARGETS: &[&str] = &["aws_redshift_cluster"];
/// The resources that configure them.
const LINKS: &[&str] = &["aws_redshift_logging"];

fn validate(view: StackView<'_>, _config: &serde_json::Value) -> Result<Vec<StackFinding>, Halt> {
    Ok(unlinked(
        view,
        TARGETS,
        LINKS,
        "clusterIdentifier",
        &["clusterIdentifier", "id"],
        inline,
        |_| Ok(true),
        |target| {
            Violation::new(format!(
                "{} has no audit logging: add a Redshift logging resource for it",
                who(target, "Redshift cluster")
            ))
            .at(at(target, "logging"))
        },
    ))
}

/// Logging enabled on the cluster itself (`logging.enable`, or `enableLogging` in old providers).
fn inline(cluster: ResourceView<'_>) -> Result<bool, String> {
    for camel in ["logging.enable", "enableLogging"] {
        match cluster.field(camel) {
            Ok(value) if value.and_then(Value::as_bool) == Some(true) => return Ok(true),
            Ok(_) => {}
            Err(_) => return Err(at(cluster, camel)),
        }
    }
    Ok(false)
}
