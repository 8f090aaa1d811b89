//! AWS-OPENSEARCH-002: OpenSearch domains encrypt traffic between nodes.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::required_flag_verdict;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-OPENSEARCH-002",
    name: "opensearch-domain-node-to-node-encryption",
    title: "OpenSearch domains encrypt traffic between nodes",
    description: "Without node-to-node encryption, shard replication and queries between the \
                  domain's nodes travel in plaintext inside the VPC.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["opensearch"],
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
        "aws_opensearch_domain",
        "aws:opensearch/domain:Domain",
        "aws_elasticsearch_domain",
        "aws:elasticsearch/domain:Domain",
    ],
    remediation: "Set `node_to_node_encryption { enabled = true }` (Pulumi `nodeToNodeEncryption: \
                  { enabled: true }`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "OpenSearch and legacy Elasticsearch domains (`aws_opensearch_domain`, \
               `aws_elasticsearch_domain`; Pulumi `aws:opensearch/domain:Domain`, \
               `aws:elasticsearch/domain:Domain`): `node_to_node_encryption.enabled` (Pulumi \
               `nodeToNodeEncryption.enabled`) must be true. A missing block or `false` is a \
               violation. A value known only after apply is indeterminate.",
        why: "Every document indexed and every search result moves between nodes. Without TLS on \
              that path, anyone able to capture traffic in the domain's subnets reads the data; \
              node-to-node encryption is also required for fine-grained access control.",
        noncompliant: r#"Pulumi (TypeScript):

    const search = new aws.opensearch.Domain("search", {
        engineVersion: "OpenSearch_2.13",
        nodeToNodeEncryption: { enabled: false },
    });

Terraform:

    resource "aws_opensearch_domain" "search" {
      domain_name    = "search"
      engine_version = "OpenSearch_2.13"
      node_to_node_encryption {
        enabled = false
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const search = new aws.opensearch.Domain("search", {
        engineVersion: "OpenSearch_2.13",
        nodeToNodeEncryption: { enabled: true },
    });

Terraform:

    resource "aws_opensearch_domain" "search" {
      domain_name    = "search"
      engine_version = "OpenSearch_2.13"
      node_to_node_encryption {
        enabled = true
      }
    }"#,
        fix: "Pulumi: `nodeToNodeEncryption: { enabled: true }`; Terraform: \
              `node_to_node_encryption { enabled = true }`. Domains on Elasticsearch 6.7 or later \
              (and all OpenSearch versions) can enable it in place; it cannot be turned off \
              again.",
        references: &[
            "AWS: Node-to-node encryption for Amazon OpenSearch Service — https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ntn.html",
            "AWS Security Hub: Amazon OpenSearch Service controls — https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html (Opensearch.3)",
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
    required_flag_verdict(
        view,
        "nodeToNodeEncryption.enabled",
        "nodeToNodeEncryption.enabled",
        "OpenSearch domain",
        "does not encrypt traffic between its nodes",
    )
}
