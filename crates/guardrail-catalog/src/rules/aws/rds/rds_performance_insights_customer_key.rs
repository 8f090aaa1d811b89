//! AWS-RDS-009: RDS Performance Insights data is encrypted with a customer-managed KMS key.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, flag, text, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-RDS-009",
    name: "rds-performance-insights-customer-key",
    title: "RDS Performance Insights data is encrypted with a customer-managed KMS key",
    description: "Performance Insights stores query text and wait statistics; with no \
                  `performance_insights_kms_key_id` it is encrypted with the AWS-managed \
                  `aws/rds` key, whose policy you cannot restrict.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["rds"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["3.6.1"],
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
            framework: "nist-800-53",
            controls: &["SC-12", "SC-28"],
        },
    ]),
    resource_types: &[
        "aws_db_instance",
        "aws:rds/instance:Instance",
        "aws_rds_cluster_instance",
        "aws:rds/clusterInstance:ClusterInstance",
        "aws_rds_cluster",
        "aws:rds/cluster:Cluster",
    ],
    remediation: "Set `performance_insights_kms_key_id` (Pulumi `performanceInsightsKmsKeyId`) to \
                  a customer-managed KMS key ARN when Performance Insights is enabled.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "RDS database instances (`aws_db_instance`), Aurora cluster instances \
               (`aws_rds_cluster_instance`) and DB clusters (`aws_rds_cluster`), with Pulumi \
               `aws:rds/instance:Instance`, `aws:rds/clusterInstance:ClusterInstance` and \
               `aws:rds/cluster:Cluster`, that have `performance_insights_enabled` (Pulumi \
               `performanceInsightsEnabled`) true must name a customer-managed key in \
               `performance_insights_kms_key_id` (Pulumi `performanceInsightsKmsKeyId`); the \
               AWS-managed alias `alias/aws/rds` does not count. Resources with Performance \
               Insights off are not applicable. Values known only after apply are indeterminate.",
        why: "Performance Insights keeps samples of the SQL your database runs, including literal \
              values that can be personal or secret data. It is always encrypted, but with the \
              default AWS-managed key anyone with Performance Insights read access in the account \
              can read it; a customer-managed key lets the key policy decide who may decrypt, can \
              be disabled in an incident, and logs every use.",
        noncompliant: r#"Pulumi (TypeScript):

    const db = new aws.rds.Instance("orders", {
        engine: "postgres",
        instanceClass: "db.m7g.large",
        allocatedStorage: 100,
        performanceInsightsEnabled: true,
    });

Terraform:

    resource "aws_db_instance" "orders" {
      engine                       = "postgres"
      instance_class               = "db.m7g.large"
      allocated_storage            = 100
      performance_insights_enabled = true
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const db = new aws.rds.Instance("orders", {
        engine: "postgres",
        instanceClass: "db.m7g.large",
        allocatedStorage: 100,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: dataKey.arn,
    });

Terraform:

    resource "aws_db_instance" "orders" {
      engine                          = "postgres"
      instance_class                  = "db.m7g.large"
      allocated_storage               = 100
      performance_insights_enabled    = true
      performance_insights_kms_key_id = aws_kms_key.data.arn
    }"#,
        fix: "Pulumi: `performanceInsightsKmsKeyId: key.arn`; Terraform: \
              `performance_insights_kms_key_id = aws_kms_key.data.arn`. The key of existing \
              Performance Insights data cannot be changed in place: turn Performance Insights off \
              and on again with the new key (its history restarts), or apply the key when the \
              instance is created.",
        references: &[
            "AWS: Turning Performance Insights on and off (AWS KMS key) — https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.Enabling.html",
            "AWS: Changing an AWS KMS policy for Performance Insights — https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.access-control.cmk-policy.html",
            "NIST SP 800-53 Rev. 5: SC-12, SC-28; ISO/IEC 27001:2022: A.8.24",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if flag(view, "performanceInsightsEnabled")? != Some(true) {
        return Ok(Verdict::not_applicable("Performance Insights is off"));
    }
    let at = at(view, "performanceInsightsKmsKeyId");
    let message = match text(view, "performanceInsightsKmsKeyId")? {
        Some(key) if !key.ends_with("alias/aws/rds") => return Ok(Verdict::Pass),
        Some(key) => format!(
            "{} encrypts Performance Insights data with the AWS-managed key `{key}`",
            who(view, "database")
        ),
        None => format!(
            "{} encrypts Performance Insights data with the AWS-managed key (`{at}` is not set)",
            who(view, "database")
        ),
    };
    Ok(Verdict::violation(Violation::new(message).at(at)))
}
