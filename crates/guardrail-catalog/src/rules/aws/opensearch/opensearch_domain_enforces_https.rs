//! AWS-OPENSEARCH-004: OpenSearch domains accept HTTPS only.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, flag, read, who, with_block_key};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-OPENSEARCH-004",
    name: "opensearch-domain-enforces-https",
    title: "OpenSearch domains accept HTTPS only",
    description: "A domain endpoint that accepts plain HTTP lets clients send credentials, \
                  queries and documents unencrypted.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
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
    remediation: "Set `domain_endpoint_options { enforce_https = true }` (Pulumi \
                  `domainEndpointOptions: { enforceHttps: true }`).",
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "OpenSearch and legacy Elasticsearch domains (`aws_opensearch_domain`, \
               `aws_elasticsearch_domain`; Pulumi `aws:opensearch/domain:Domain`, \
               `aws:elasticsearch/domain:Domain`): `domain_endpoint_options.enforce_https` \
               (Pulumi `domainEndpointOptions.enforceHttps`) must be true. A missing \
               `domain_endpoint_options` block means AWS's default, HTTP allowed, and is a \
               violation; a block without `enforce_https` takes the provider default, true, and \
               passes. A value known only after apply is indeterminate. Under `remediate` \
               guardrail sets it (unsafe: HTTP clients stop working).",
        why: "Requests to OpenSearch carry basic-auth credentials or signed headers, search terms \
              and the documents themselves. Over HTTP they can be read and changed by anyone on \
              the path; with a public endpoint that path includes the internet.",
        noncompliant: r#"Pulumi (TypeScript):

    const search = new aws.opensearch.Domain("search", {
        engineVersion: "OpenSearch_2.13",
        domainEndpointOptions: { enforceHttps: false },
    });

Terraform:

    resource "aws_opensearch_domain" "search" {
      domain_name    = "search"
      engine_version = "OpenSearch_2.13"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const search = new aws.opensearch.Domain("search", {
        engineVersion: "OpenSearch_2.13",
        domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-2019-07" },
    });

Terraform:

    resource "aws_opensearch_domain" "search" {
      domain_name    = "search"
      engine_version = "OpenSearch_2.13"
      domain_endpoint_options {
        enforce_https       = true
        tls_security_policy = "Policy-Min-TLS-1-2-2019-07"
      }
    }"#,
        fix: "Pulumi: `domainEndpointOptions: { enforceHttps: true }`; Terraform: \
              `domain_endpoint_options { enforce_https = true }`. The change is online; make sure \
              every client uses `https://` first. Under `remediate` guardrail sets it; the fix is \
              marked unsafe because HTTP clients are refused afterwards.",
        references: &[
            "AWS: Amazon OpenSearch Service domain endpoint options — https://docs.aws.amazon.com/opensearch-service/latest/developerguide/createupdatedomains.html",
            "AWS Security Hub: Amazon OpenSearch Service controls — https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html (Opensearch.8)",
            "PCI DSS v4.0: 4.2.1; HIPAA: 164.312(e)(1); NIST SP 800-53 Rev. 5: SC-8",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let block = read(view, "domainEndpointOptions")?;
    let setting = at(view, "domainEndpointOptions.enforceHttps");
    let note = match flag(view, "domainEndpointOptions.enforceHttps")? {
        Some(true) => return Ok(Verdict::Pass),
        Some(false) => format!("`{setting}` is `false`"),
        // Inside the block the provider defaults `enforce_https` to true.
        None if block.is_some_and(|b| b.items().next().is_some()) => return Ok(Verdict::Pass),
        None => format!(
            "`{}` is not set and AWS allows HTTP by default",
            at(view, "domainEndpointOptions")
        ),
    };
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} accepts plain HTTP ({note})",
            who(view, "OpenSearch domain")
        ))
        .at(setting),
    ))
}

fn remediate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if matches!(validate(view, config)?, Verdict::Pass) {
        return Ok(None);
    }
    Ok(with_block_key(
        view,
        "domainEndpointOptions",
        "enforceHttps",
        Value::Bool(true),
    ))
}
