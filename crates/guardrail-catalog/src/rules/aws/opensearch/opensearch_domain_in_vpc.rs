//! AWS-OPENSEARCH-003: OpenSearch domains are deployed in a VPC.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, string_list, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-OPENSEARCH-003",
    name: "opensearch-domain-in-vpc",
    title: "OpenSearch domains are deployed in a VPC",
    description: "A domain outside a VPC has a public endpoint, reachable from the internet and \
                  protected only by its access policy.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["opensearch"],
    topics: &["network", "public-access"],
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
        "aws_opensearch_domain",
        "aws:opensearch/domain:Domain",
        "aws_elasticsearch_domain",
        "aws:elasticsearch/domain:Domain",
    ],
    remediation: "Deploy the domain into private subnets with `vpc_options { subnet_ids, \
                  security_group_ids }` (Pulumi `vpcOptions`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "OpenSearch and legacy Elasticsearch domains (`aws_opensearch_domain`, \
               `aws_elasticsearch_domain`; Pulumi `aws:opensearch/domain:Domain`, \
               `aws:elasticsearch/domain:Domain`): `vpc_options.subnet_ids` (Pulumi \
               `vpcOptions.subnetIds`) must list at least one subnet. A missing block or an empty \
               list means a public endpoint and is a violation. A value known only after apply is \
               indeterminate. This is the AWSGuard `elasticsearch-in-vpc-only` check, extended to \
               OpenSearch domains.",
        why: "Public OpenSearch and Elasticsearch endpoints are among the most frequently \
              breached data stores: one permissive access policy and the whole index is \
              downloadable by anyone. Inside a VPC, security groups and private routing add the \
              network boundary the access policy alone does not provide.",
        noncompliant: r#"Pulumi (TypeScript):

    const search = new aws.opensearch.Domain("search", {
        engineVersion: "OpenSearch_2.13",
        clusterConfig: { instanceType: "r6g.large.search" },
    });

Terraform:

    resource "aws_elasticsearch_domain" "logs" {
      domain_name           = "logs"
      elasticsearch_version = "7.10"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const search = new aws.opensearch.Domain("search", {
        engineVersion: "OpenSearch_2.13",
        clusterConfig: { instanceType: "r6g.large.search" },
        vpcOptions: { subnetIds: privateSubnetIds, securityGroupIds: [searchSg.id] },
    });

Terraform:

    resource "aws_elasticsearch_domain" "logs" {
      domain_name           = "logs"
      elasticsearch_version = "7.10"
      vpc_options {
        subnet_ids         = var.private_subnet_ids
        security_group_ids = [aws_security_group.search.id]
      }
    }"#,
        fix: "Pulumi: `vpcOptions: { subnetIds, securityGroupIds }`; Terraform: a `vpc_options { \
              subnet_ids = [...] security_group_ids = [...] }` block. A domain cannot move from a \
              public endpoint into a VPC: create a new domain in the VPC and restore a snapshot \
              or reindex into it.",
        references: &[
            "AWS: Launching your Amazon OpenSearch Service domains within a VPC — https://docs.aws.amazon.com/opensearch-service/latest/developerguide/vpc.html",
            "AWS Security Hub: Amazon OpenSearch Service controls — https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html (Opensearch.2)",
            "Pulumi AWSGuard: elasticsearch-in-vpc-only",
            "PCI DSS v4.0: 1.4.4; NIST SP 800-53 Rev. 5: AC-3, SC-7; ISO/IEC 27001:2022: A.8.20; SOC 2: CC6.6",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if !string_list(view, "vpcOptions.subnetIds")?.is_empty() {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} has a public endpoint: it is not deployed in a VPC (`{}` is not set)",
            who(view, "OpenSearch domain"),
            at(view, "vpcOptions.subnetIds")
        ))
        .at(at(view, "vpcOptions")),
    ))
}
