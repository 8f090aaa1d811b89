//! AWS-OPENSEARCH-009: OpenSearch access policies do not grant access to everyone.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::open_policy_verdict;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-OPENSEARCH-009",
    name: "opensearch-access-policy-not-public",
    title: "OpenSearch access policies do not grant access to everyone",
    description: "A domain access policy that allows `*` without a condition lets anyone who can \
                  reach the endpoint call the OpenSearch API, anonymously.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["opensearch"],
    topics: &["public-access", "least-privilege"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["1.4.4"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1", "CC6.3", "CC6.6"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.5.15", "A.8.3", "A.8.20"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-3", "AC-6", "SC-7"],
        },
    ]),
    resource_types: &[
        "aws_opensearch_domain",
        "aws:opensearch/domain:Domain",
        "aws_elasticsearch_domain",
        "aws:elasticsearch/domain:Domain",
        "aws_opensearch_domain_policy",
        "aws:opensearch/domainPolicy:DomainPolicy",
        "aws_elasticsearch_domain_policy",
        "aws:elasticsearch/domainPolicy:DomainPolicy",
    ],
    remediation: "Name IAM principals in the access policy, or restrict `*` with a condition such \
                  as `aws:SourceIp`; rely on fine-grained access control for users.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Access policies of OpenSearch and legacy Elasticsearch domains \
               (`aws_opensearch_domain`, `aws_elasticsearch_domain`; Pulumi \
               `aws:opensearch/domain:Domain`, `aws:elasticsearch/domain:Domain`) \
               (`access_policies`, Pulumi `accessPolicies`) and of separate domain policies \
               (`aws_opensearch_domain_policy`, `aws_elasticsearch_domain_policy`; Pulumi \
               `aws:opensearch/domainPolicy:DomainPolicy`, \
               `aws:elasticsearch/domainPolicy:DomainPolicy`): no `Allow` statement may have a \
               wildcard principal (`*`, `{\"AWS\": \"*\"}`) or `NotPrincipal` without a \
               `Condition`. Each open statement is a violation; a domain without a policy passes. \
               A policy known only after apply is indeterminate; a policy that is not JSON is an \
               error. Domains with fine-grained access control often use an open policy on \
               purpose, relying on the security plugin; exempt those with that reason.",
        why: "With a wildcard principal and no condition, requests need no signature at all: on a \
              public endpoint the whole cluster is readable and writable from the internet, which \
              is how many of the largest data leaks of recent years happened. Inside a VPC it \
              still gives every workload there unauthenticated access.",
        noncompliant: r#"Pulumi (TypeScript):

    const policy = new aws.opensearch.DomainPolicy("search", {
        domainName: search.domainName,
        accessPolicies: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "es:*", Resource: `${search.arn}/*` }],
        }),
    });

Terraform:

    resource "aws_opensearch_domain_policy" "search" {
      domain_name = aws_opensearch_domain.search.domain_name
      access_policies = jsonencode({
        Version   = "2012-10-17"
        Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "es:*", Resource = "${aws_opensearch_domain.search.arn}/*" }]
      })
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const policy = new aws.opensearch.DomainPolicy("search", {
        domainName: search.domainName,
        accessPolicies: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { AWS: appRole.arn }, Action: "es:ESHttp*", Resource: `${search.arn}/*` }],
        }),
    });

Terraform:

    resource "aws_opensearch_domain_policy" "search" {
      domain_name = aws_opensearch_domain.search.domain_name
      access_policies = jsonencode({
        Version   = "2012-10-17"
        Statement = [{ Effect = "Allow", Principal = { AWS = aws_iam_role.app.arn }, Action = "es:ESHttp*", Resource = "${aws_opensearch_domain.search.arn}/*" }]
      })
    }"#,
        fix: "In `access_policies` (Pulumi `accessPolicies`), replace the wildcard with the IAM \
              roles that call the domain, or add a `Condition` (`aws:SourceIp` for a known range, \
              `aws:PrincipalOrgID`). Clients then sign requests with SigV4. Where users log in \
              through OpenSearch Dashboards, enable fine-grained access control and keep the open \
              policy only together with it, with an exemption.",
        references: &[
            "AWS: Identity and Access Management in Amazon OpenSearch Service — https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html",
            "NIST SP 800-53 Rev. 5: AC-3, AC-6, SC-7; ISO/IEC 27001:2022: A.5.15, A.8.3, A.8.20; SOC 2: CC6.1, CC6.6",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    open_policy_verdict(view, "accessPolicies", "OpenSearch domain")
}
