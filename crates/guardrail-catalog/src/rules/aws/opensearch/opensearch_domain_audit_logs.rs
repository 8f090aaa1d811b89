//! AWS-OPENSEARCH-006: OpenSearch domains publish audit logs.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use super::log_published_verdict;
use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-OPENSEARCH-006",
    name: "opensearch-domain-audit-logs",
    title: "OpenSearch domains publish audit logs",
    description: "Audit logs record who authenticated, which indices they read or changed and \
                  which requests were denied; without them access to the data leaves no trace.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["opensearch"],
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
        "aws_opensearch_domain",
        "aws:opensearch/domain:Domain",
        "aws_elasticsearch_domain",
        "aws:elasticsearch/domain:Domain",
    ],
    remediation: "Add a `log_publishing_options` entry with `log_type = \"AUDIT_LOGS\"` and a \
                  CloudWatch log group, and enable audit logging in fine-grained access control.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "OpenSearch and legacy Elasticsearch domains (`aws_opensearch_domain`, \
               `aws_elasticsearch_domain`; Pulumi `aws:opensearch/domain:Domain`, \
               `aws:elasticsearch/domain:Domain`): `log_publishing_options` (Pulumi \
               `logPublishingOptions`) must contain an entry with `log_type` (Pulumi `logType`) \
               `AUDIT_LOGS` whose `enabled` is not false. Missing is a violation. Values known \
               only after apply are indeterminate. Audit logs require fine-grained access control \
               (AWS-OPENSEARCH-008).",
        why: "Search domains hold copies of sensitive data, and their REST API makes bulk export \
              trivial. Audit logs are how a breach, an insider download or a misused service role \
              is detected and investigated; PCI DSS, HIPAA and SOC 2 all expect access to such \
              data to be logged.",
        noncompliant: r#"Pulumi (TypeScript):

    const search = new aws.opensearch.Domain("search", {
        engineVersion: "OpenSearch_2.13",
        advancedSecurityOptions: { enabled: true, internalUserDatabaseEnabled: false },
    });

Terraform:

    resource "aws_opensearch_domain" "search" {
      domain_name    = "search"
      engine_version = "OpenSearch_2.13"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const search = new aws.opensearch.Domain("search", {
        engineVersion: "OpenSearch_2.13",
        advancedSecurityOptions: { enabled: true, internalUserDatabaseEnabled: false },
        logPublishingOptions: [{ logType: "AUDIT_LOGS", cloudwatchLogGroupArn: auditLogs.arn }],
    });

Terraform:

    resource "aws_opensearch_domain" "search" {
      domain_name    = "search"
      engine_version = "OpenSearch_2.13"
      log_publishing_options {
        log_type                 = "AUDIT_LOGS"
        cloudwatch_log_group_arn = aws_cloudwatch_log_group.search_audit.arn
      }
    }"#,
        fix: "Pulumi: `logPublishingOptions: [{ logType: \"AUDIT_LOGS\", cloudwatchLogGroupArn \
              }]`; Terraform: a `log_publishing_options { log_type = \"AUDIT_LOGS\" \
              cloudwatch_log_group_arn = ... }` block. Allow OpenSearch Service to write to the \
              log group with an `aws_cloudwatch_log_resource_policy`, then turn on audit logging \
              in OpenSearch Dashboards (Security → Audit logs).",
        references: &[
            "AWS: Monitoring audit logs in Amazon OpenSearch Service — https://docs.aws.amazon.com/opensearch-service/latest/developerguide/audit-logs.html",
            "AWS Security Hub: Amazon OpenSearch Service controls — https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html (Opensearch.5)",
            "PCI DSS v4.0: 10.2.1; HIPAA: 164.312(b); NIST SP 800-53 Rev. 5: AU-2, AU-12",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

/// The log type this rule requires.
const LOG_TYPE: &str = "AUDIT_LOGS";

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    log_published_verdict(view, LOG_TYPE, "audit logs")
}
