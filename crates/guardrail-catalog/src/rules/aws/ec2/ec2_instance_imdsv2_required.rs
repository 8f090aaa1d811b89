//! AWS-EC2-002: EC2 instances require IMDSv2.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::show;
use crate::support::{at, read_in, read_inline, with};

/// Whether a `metadata_options` block (or its absence) requires session tokens; `Err` names the
/// offending path and value.
pub(crate) fn imds_verdict(
    view: ResourceView<'_>,
    block_camel: &str,
    noun: &str,
) -> Result<Verdict, Halt> {
    let spelling = view.resource.spelling;
    let block = read_inline(view, block_camel)?;
    let base = at(view, block_camel);
    let tokens_path = format!("{base}.{}", at(view, "httpTokens"));
    let (endpoint, tokens) = match block {
        None => (None, None),
        Some(block) => (
            read_in(block, spelling, &base, "httpEndpoint")?,
            read_in(block, spelling, &base, "httpTokens")?,
        ),
    };
    if endpoint
        .and_then(Value::as_str)
        .is_some_and(|e| e.eq_ignore_ascii_case("disabled"))
    {
        return Ok(Verdict::Pass);
    }
    match tokens.and_then(Value::as_str) {
        Some(t) if t.eq_ignore_ascii_case("required") => Ok(Verdict::Pass),
        _ => {
            let shown = tokens.map_or_else(|| "not set (IMDSv1 allowed)".to_string(), show);
            Ok(Verdict::violation(
                Violation::new(format!(
                    "{noun} `{}` does not require IMDSv2: `{tokens_path}` is {shown}, not \
                     `required`",
                    view.resource.name
                ))
                .at(tokens_path),
            ))
        }
    }
}

/// Sets `httpTokens = "required"` in the block.
pub(crate) fn imds_fix(
    view: ResourceView<'_>,
    block_camel: &str,
    noun: &str,
) -> Result<Option<Value>, Halt> {
    if imds_verdict(view, block_camel, noun)? == Verdict::Pass {
        return Ok(None);
    }
    Ok(Some(with(
        view,
        &format!("{block_camel}.httpTokens"),
        Value::string("required"),
    )))
}

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EC2-002",
    name: "ec2-instance-imdsv2-required",
    title: "EC2 instances require IMDSv2",
    description: "IMDSv1 answers any local HTTP GET with the instance role's credentials, which \
                  server-side request forgery turns into stolen AWS keys; instances must \
                  require IMDSv2 session tokens.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["ec2"],
    topics: &["identity", "network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-aws", controls: &["5.6"] },
        Control { framework: "iso27001", controls: &["A.8.9"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "CM-6"] },
    ]),
    resource_types: &["aws_instance", "aws:ec2/instance:Instance"],
    remediation: "Set `metadata_options.http_tokens` to `required`.",
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_instance` (Pulumi `aws:ec2/instance:Instance`) must set \
               `metadata_options.http_tokens = \"required\"` (Pulumi \
               `metadataOptions.httpTokens`), or turn the metadata endpoint off with \
               `http_endpoint = \"disabled\"`. `optional`, or no setting (the EC2 default for \
               most AMIs), is a violation. In Terraform plans a `metadata_options` the configuration leaves out \
               (shown as known after apply) counts as not set; a \
               known-only-after-apply `http_tokens` is indeterminate.",
        why: "With IMDSv1 any process that can make the instance send an HTTP GET — an SSRF \
              bug in a web application, a misconfigured proxy — can read \
              `169.254.169.254/latest/meta-data/iam/security-credentials/` and walk away with \
              the instance role's keys, as in the 2019 Capital One breach. IMDSv2 needs a PUT \
              to obtain a session token first, which such request forgery cannot do.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ec2.Instance("web", { ami: ami.id, instanceType: "t3.micro" });

Terraform:

    resource "aws_instance" "web" {
      ami           = data.aws_ami.al2023.id
      instance_type = "t3.micro"
      metadata_options {
        http_tokens = "optional"
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ec2.Instance("web", {
        ami: ami.id,
        instanceType: "t3.micro",
        metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" },
    });

Terraform:

    resource "aws_instance" "web" {
      ami           = data.aws_ami.al2023.id
      instance_type = "t3.micro"
      metadata_options {
        http_tokens   = "required"
        http_endpoint = "enabled"
      }
    }"#,
        fix: "Set `metadata_options { http_tokens = \"required\" }` (Pulumi `metadataOptions: { \
              httpTokens: \"required\" }`). Under `remediate` guardrail sets it; the fix is \
              unsafe because software using old AWS SDKs or plain `curl` against the metadata \
              service without a token stops getting answers — check the \
              `MetadataNoToken` CloudWatch metric first.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 5.6 Ensure that EC2 Metadata Service only allows IMDSv2",
            "AWS: Use IMDSv2 — https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    imds_verdict(view, "metadataOptions", "instance")
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    imds_fix(view, "metadataOptions", "instance")
}
