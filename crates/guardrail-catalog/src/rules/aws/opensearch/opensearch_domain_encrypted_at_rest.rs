//! AWS-OPENSEARCH-001: OpenSearch domains encrypt data at rest.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::required_flag_verdict;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-OPENSEARCH-001",
    name: "opensearch-domain-encrypted-at-rest",
    title: "OpenSearch domains encrypt data at rest",
    description: "An OpenSearch domain without encryption at rest stores its indices, logs and \
                  automated snapshots unencrypted.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["opensearch"],
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
        "aws_opensearch_domain",
        "aws:opensearch/domain:Domain",
        "aws_elasticsearch_domain",
        "aws:elasticsearch/domain:Domain",
    ],
    remediation: "Set `encrypt_at_rest { enabled = true }` (Pulumi `encryptAtRest: { enabled: \
                  true }`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "OpenSearch and legacy Elasticsearch domains (`aws_opensearch_domain`, \
               `aws_elasticsearch_domain`; Pulumi `aws:opensearch/domain:Domain`, \
               `aws:elasticsearch/domain:Domain`): `encrypt_at_rest.enabled` (Pulumi \
               `encryptAtRest.enabled`) must be true. A missing block or `false` is a violation. \
               A value known only after apply is indeterminate. This is the AWSGuard \
               `elasticsearch-encrypted-at-rest` check, extended to OpenSearch domains.",
        why: "Search clusters ingest copies of application data and logs, often including \
              personal data and credentials logged by mistake. Unencrypted, that data and its \
              snapshots are outside KMS access control; encryption at rest also is a prerequisite \
              for fine-grained access control.",
        noncompliant: r#"Pulumi (TypeScript):

    const search = new aws.opensearch.Domain("search", {
        engineVersion: "OpenSearch_2.13",
        clusterConfig: { instanceType: "r6g.large.search" },
    });

Terraform:

    resource "aws_opensearch_domain" "search" {
      domain_name    = "search"
      engine_version = "OpenSearch_2.13"
      cluster_config {
        instance_type = "r6g.large.search"
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const search = new aws.opensearch.Domain("search", {
        engineVersion: "OpenSearch_2.13",
        clusterConfig: { instanceType: "r6g.large.search" },
        encryptAtRest: { enabled: true },
    });

Terraform:

    resource "aws_opensearch_domain" "search" {
      domain_name    = "search"
      engine_version = "OpenSearch_2.13"
      cluster_config {
        instance_type = "r6g.large.search"
      }
      encrypt_at_rest {
        enabled = true
      }
    }"#,
        fix: "Pulumi: `encryptAtRest: { enabled: true }` (and `kmsKeyId`); Terraform: \
              `encrypt_at_rest { enabled = true }` (and `kms_key_id`). Domains on OpenSearch or \
              Elasticsearch 6.7 and later can enable it in place with a blue/green deployment; \
              older domains need a new domain and a reindex.",
        references: &[
            "AWS: Encryption of data at rest for Amazon OpenSearch Service — https://docs.aws.amazon.com/opensearch-service/latest/developerguide/encryption-at-rest.html",
            "AWS Security Hub: Amazon OpenSearch Service controls — https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html (Opensearch.1)",
            "Pulumi AWSGuard: elasticsearch-encrypted-at-rest",
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
        "encryptAtRest.enabled",
        "encryptAtRest.enabled",
        "OpenSearch domain",
        "does not encrypt data at rest",
    )
}
