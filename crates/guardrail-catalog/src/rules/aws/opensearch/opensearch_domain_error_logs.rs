//! AWS-OPENSEARCH-007: OpenSearch domains publish error logs.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use super::log_published_verdict;
use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-OPENSEARCH-007",
    name: "opensearch-domain-error-logs",
    title: "OpenSearch domains publish error logs",
    description: "Application (error) logs show failed requests, cluster faults and \
                  security-plugin errors; without them problems and attacks surface only as \
                  outages.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["opensearch"],
    topics: &["logging", "monitoring"],
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
    remediation: "Add a `log_publishing_options` entry with `log_type = \"ES_APPLICATION_LOGS\"` \
                  and a CloudWatch log group.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "OpenSearch and legacy Elasticsearch domains (`aws_opensearch_domain`, \
               `aws_elasticsearch_domain`; Pulumi `aws:opensearch/domain:Domain`, \
               `aws:elasticsearch/domain:Domain`): `log_publishing_options` (Pulumi \
               `logPublishingOptions`) must contain an entry with `log_type` (Pulumi `logType`) \
               `ES_APPLICATION_LOGS` whose `enabled` is not false. Missing is a violation. Values \
               known only after apply are indeterminate. Slow logs (`INDEX_SLOW_LOGS`, \
               `SEARCH_SLOW_LOGS`) are worth publishing too but are not required by this rule.",
        why: "Error logs are the domain's own record of failures: rejected requests, shard \
              allocation problems, plugin and authentication errors. They are needed to notice \
              probing and misuse as well as to diagnose an outage before it spreads.",
        noncompliant: r#"Pulumi (TypeScript):

    const search = new aws.opensearch.Domain("search", {
        engineVersion: "OpenSearch_2.13",
    });

Terraform:

    resource "aws_elasticsearch_domain" "logs" {
      domain_name           = "logs"
      elasticsearch_version = "7.10"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const search = new aws.opensearch.Domain("search", {
        engineVersion: "OpenSearch_2.13",
        logPublishingOptions: [{ logType: "ES_APPLICATION_LOGS", cloudwatchLogGroupArn: appLogs.arn }],
    });

Terraform:

    resource "aws_elasticsearch_domain" "logs" {
      domain_name           = "logs"
      elasticsearch_version = "7.10"
      log_publishing_options {
        log_type                 = "ES_APPLICATION_LOGS"
        cloudwatch_log_group_arn = aws_cloudwatch_log_group.search_errors.arn
      }
    }"#,
        fix: "Pulumi: `logPublishingOptions: [{ logType: \"ES_APPLICATION_LOGS\", \
              cloudwatchLogGroupArn }]`; Terraform: a `log_publishing_options { log_type = \
              \"ES_APPLICATION_LOGS\" cloudwatch_log_group_arn = ... }` block, plus an \
              `aws_cloudwatch_log_resource_policy` that lets `es.amazonaws.com` write to the \
              group.",
        references: &[
            "AWS: Monitoring OpenSearch logs with Amazon CloudWatch Logs — https://docs.aws.amazon.com/opensearch-service/latest/developerguide/createdomain-configure-slow-logs.html",
            "AWS Security Hub: Amazon OpenSearch Service controls — https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html (Opensearch.4)",
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
const LOG_TYPE: &str = "ES_APPLICATION_LOGS";

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    log_published_verdict(view, LOG_TYPE, "error logs")
}
