//! AWS-OPENSEARCH-008: OpenSearch domains use fine-grained access control.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::required_flag_verdict;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-OPENSEARCH-008",
    name: "opensearch-domain-fine-grained-access-control",
    title: "OpenSearch domains use fine-grained access control",
    description: "Without fine-grained access control every principal the access policy lets in \
                  has full access to every index, document and cluster API.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["opensearch"],
    topics: &["identity", "least-privilege"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["8.3.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1", "CC6.3"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.5.15", "A.8.3", "A.8.5"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(d)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-3", "AC-6", "AC-2", "IA-2"],
        },
    ]),
    resource_types: &[
        "aws_opensearch_domain",
        "aws:opensearch/domain:Domain",
        "aws_elasticsearch_domain",
        "aws:elasticsearch/domain:Domain",
    ],
    remediation: "Enable `advanced_security_options { enabled = true }` (Pulumi \
                  `advancedSecurityOptions: { enabled: true }`) with an IAM master user.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "OpenSearch and legacy Elasticsearch domains (`aws_opensearch_domain`, \
               `aws_elasticsearch_domain`; Pulumi `aws:opensearch/domain:Domain`, \
               `aws:elasticsearch/domain:Domain`): `advanced_security_options.enabled` (Pulumi \
               `advancedSecurityOptions.enabled`) must be true. A missing block or `false` is a \
               violation. A value known only after apply is indeterminate.",
        why: "Fine-grained access control adds roles with index-, document- and field-level \
              permissions on top of the domain's access policy, and is required for audit logs \
              and for anonymous access to be off. Without it, any service that can reach the \
              domain can read every index and delete the cluster's data.",
        noncompliant: r#"Pulumi (TypeScript):

    const search = new aws.opensearch.Domain("search", {
        engineVersion: "OpenSearch_2.13",
    });

Terraform:

    resource "aws_opensearch_domain" "search" {
      domain_name    = "search"
      engine_version = "OpenSearch_2.13"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const search = new aws.opensearch.Domain("search", {
        engineVersion: "OpenSearch_2.13",
        encryptAtRest: { enabled: true },
        nodeToNodeEncryption: { enabled: true },
        domainEndpointOptions: { enforceHttps: true },
        advancedSecurityOptions: {
            enabled: true,
            internalUserDatabaseEnabled: false,
            masterUserOptions: { masterUserArn: searchAdmin.arn },
        },
    });

Terraform:

    resource "aws_opensearch_domain" "search" {
      domain_name    = "search"
      engine_version = "OpenSearch_2.13"
      advanced_security_options {
        enabled                        = true
        internal_user_database_enabled = false
        master_user_options {
          master_user_arn = aws_iam_role.search_admin.arn
        }
      }
    }"#,
        fix: "Pulumi: `advancedSecurityOptions: { enabled: true, masterUserOptions: { \
              masterUserArn } }`; Terraform: an `advanced_security_options { enabled = true \
              master_user_options { master_user_arn = ... } }` block. It needs encryption at \
              rest, node-to-node encryption and HTTPS enforced. Existing domains can enable it \
              once (with a migration period for open access); it cannot be disabled.",
        references: &[
            "AWS: Fine-grained access control in Amazon OpenSearch Service — https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac.html",
            "AWS Security Hub: Amazon OpenSearch Service controls — https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html (Opensearch.7)",
            "NIST SP 800-53 Rev. 5: AC-2, AC-3, AC-6, IA-2; ISO/IEC 27001:2022: A.5.15, A.8.3, A.8.5; SOC 2: CC6.1, CC6.3",
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
        "advancedSecurityOptions.enabled",
        "advancedSecurityOptions.enabled",
        "OpenSearch domain",
        "does not use fine-grained access control",
    )
}
