//! AWS-OPENSEARCH-005: OpenSearch domains require TLS 1.2 or later.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, text, who, with_block_key};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-OPENSEARCH-005",
    name: "opensearch-domain-tls-policy",
    title: "OpenSearch domains require TLS 1.2 or later",
    description: "The default endpoint TLS policy still accepts TLS 1.0 and 1.1, protocol \
                  versions with known weaknesses that compliance standards no longer allow.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["opensearch"],
    topics: &["tls"],
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
    remediation: "Set `domain_endpoint_options { tls_security_policy = \
                  \"Policy-Min-TLS-1-2-PFS-2023-10\" }` (or `Policy-Min-TLS-1-2-2019-07`).",
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "OpenSearch and legacy Elasticsearch domains (`aws_opensearch_domain`, \
               `aws_elasticsearch_domain`; Pulumi `aws:opensearch/domain:Domain`, \
               `aws:elasticsearch/domain:Domain`): `domain_endpoint_options.tls_security_policy` \
               (Pulumi `domainEndpointOptions.tlsSecurityPolicy`) must be a TLS 1.2 policy \
               (`Policy-Min-TLS-1-2-...`). Missing means AWS's default \
               `Policy-Min-TLS-1-0-2019-07` and is a violation. A value known only after apply is \
               indeterminate. Under `remediate` guardrail sets `Policy-Min-TLS-1-2-2019-07` \
               (unsafe: clients limited to TLS 1.0/1.1 are refused).",
        why: "TLS 1.0 and 1.1 lack modern cipher suites and are open to downgrade attacks; PCI \
              DSS and NIST guidance require TLS 1.2 or later. Allowing them on the endpoint lets \
              an attacker in the path negotiate the weakest protocol the client supports.",
        noncompliant: r#"Pulumi (TypeScript):

    const search = new aws.opensearch.Domain("search", {
        engineVersion: "OpenSearch_2.13",
        domainEndpointOptions: { enforceHttps: true },
    });

Terraform:

    resource "aws_opensearch_domain" "search" {
      domain_name    = "search"
      engine_version = "OpenSearch_2.13"
      domain_endpoint_options {
        enforce_https       = true
        tls_security_policy = "Policy-Min-TLS-1-0-2019-07"
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const search = new aws.opensearch.Domain("search", {
        engineVersion: "OpenSearch_2.13",
        domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" },
    });

Terraform:

    resource "aws_opensearch_domain" "search" {
      domain_name    = "search"
      engine_version = "OpenSearch_2.13"
      domain_endpoint_options {
        enforce_https       = true
        tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10"
      }
    }"#,
        fix: "Pulumi: `domainEndpointOptions: { tlsSecurityPolicy: \
              \"Policy-Min-TLS-1-2-PFS-2023-10\" }`; Terraform: `tls_security_policy = \
              \"Policy-Min-TLS-1-2-PFS-2023-10\"` in `domain_endpoint_options`. The change is \
              online. Under `remediate` guardrail sets `Policy-Min-TLS-1-2-2019-07`; it is marked \
              unsafe because very old clients may be refused.",
        references: &[
            "AWS: DomainEndpointOptions TLSSecurityPolicy — https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_DomainEndpointOptions.html",
            "AWS Security Hub: Amazon OpenSearch Service controls — https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html (Opensearch.10)",
            "PCI DSS v4.0: 4.2.1; NIST SP 800-53 Rev. 5: SC-8; ISO/IEC 27001:2022: A.8.24",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

/// The policy the fix sets.
const TLS_1_2: &str = "Policy-Min-TLS-1-2-2019-07";

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let at = at(view, "domainEndpointOptions.tlsSecurityPolicy");
    let note = match text(view, "domainEndpointOptions.tlsSecurityPolicy")? {
        Some(policy) if policy.starts_with("Policy-Min-TLS-1-2") => return Ok(Verdict::Pass),
        Some(policy) => format!("`{at}` is `{policy}`"),
        None => format!("`{at}` is not set and defaults to `Policy-Min-TLS-1-0-2019-07`"),
    };
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} accepts TLS versions older than 1.2 ({note})",
            who(view, "OpenSearch domain")
        ))
        .at(at),
    ))
}

fn remediate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if matches!(validate(view, config)?, Verdict::Pass) {
        return Ok(None);
    }
    Ok(with_block_key(
        view,
        "domainEndpointOptions",
        "tlsSecurityPolicy",
        Value::string(TLS_1_2),
    ))
}
