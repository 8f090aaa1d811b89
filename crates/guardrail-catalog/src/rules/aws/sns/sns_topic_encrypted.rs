//! AWS-SNS-001: SNS topics encrypt messages at rest

use crate::support::{at, text, with_unknown_kept};
use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-SNS-001",
    name: "sns-topic-encrypted",
    title: "SNS topics encrypt messages at rest with KMS",
    description: "Messages held by an unencrypted topic are stored in clear; server-side encryption with KMS protects them and audits key use.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["sns"],
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
            controls: &["SC-28", "SC-13"],
        },
    ]),
    resource_types: &[
        "aws_sns_topic",
        "aws:sns/topic:Topic",
    ],
    remediation: "Set `kms_master_key_id` (Pulumi `kmsMasterKeyId`) to a KMS key.",
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every SNS topic (`aws_sns_topic`, Pulumi `aws:sns/topic:Topic`) must set `kms_master_key_id` (Pulumi `kmsMasterKeyId`). Not set (no server-side encryption, the default) is a violation. A key known only after apply is indeterminate.",
        why: "Notifications often carry order details, personal data or operational secrets. SSE encrypts them while SNS stores them for delivery; with a customer managed key, reading them also needs `kms:Decrypt`, and every use is logged. AWS Security Hub SNS.1 asks for it.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.sns.Topic("orders", {});

Terraform:

    resource "aws_sns_topic" "orders" {
      name = "orders"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.sns.Topic("orders", { kmsMasterKeyId: key.id });

Terraform:

    resource "aws_sns_topic" "orders" {
      name              = "orders"
      kms_master_key_id = aws_kms_key.sns.id
    }"#,
        fix: "Set `kmsMasterKeyId` (Pulumi) or `kms_master_key_id` (Terraform) to a customer managed key, or to `alias/aws/sns`. Under `remediate` guardrail sets `alias/aws/sns`; the fix is unsafe because AWS services that publish to the topic (CloudWatch alarms, S3 and EventBridge notifications) cannot use the AWS managed key: give them a customer managed key whose policy allows them instead.",
        references: &[
            "Amazon SNS Developer Guide: Encryption at rest — https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html",
            "AWS Security Hub: [SNS.1] SNS topics should be encrypted at-rest using AWS KMS — https://docs.aws.amazon.com/securityhub/latest/userguide/sns-controls.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

const PATH: &str = "kmsMasterKeyId";

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if text(view, PATH)?.is_some() {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "SNS topic `{}` does not encrypt messages at rest; set a KMS key",
            view.resource.name
        ))
        .at(at(view, PATH)),
    ))
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if text(view, PATH)?.is_some() {
        return Ok(None);
    }
    Ok(Some(with_unknown_kept(
        view,
        PATH,
        Value::string("alias/aws/sns"),
    )))
}
