//! AWS-SQS-001: SQS queues encrypt messages at rest

use crate::support::{at, flag, text, with_unknown_kept};
use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-SQS-001",
    name: "sqs-queue-encrypted",
    title: "SQS queues encrypt messages at rest",
    description: "A queue with server-side encryption switched off stores its messages unencrypted.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["sqs"],
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
        "aws_sqs_queue",
        "aws:sqs/queue:Queue",
    ],
    remediation: "Set `sqs_managed_sse_enabled = true`, or `kms_master_key_id` to a KMS key.",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every SQS queue (`aws_sqs_queue`, Pulumi `aws:sqs/queue:Queue`) must be encrypted: `kms_master_key_id` (Pulumi `kmsMasterKeyId`) set, or `sqs_managed_sse_enabled` (Pulumi `sqsManagedSseEnabled`) not false. Not set means SSE-SQS, the AWS default for new queues, and passes. A value known only after apply is indeterminate (Terraform plans show `sqs_managed_sse_enabled` so when the program leaves it unset: set it explicitly).",
        why: "Queues buffer business data — orders, events, personal data — sometimes for days. AWS encrypts new queues with SSE-SQS by default; switching it off leaves messages in clear at rest, which PCI DSS, HIPAA and AWS Security Hub SQS.1 all object to.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.sqs.Queue("orders", { sqsManagedSseEnabled: false });

Terraform:

    resource "aws_sqs_queue" "orders" {
      name                    = "orders"
      sqs_managed_sse_enabled = false
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.sqs.Queue("orders", { sqsManagedSseEnabled: true });

Terraform:

    resource "aws_sqs_queue" "orders" {
      name                    = "orders"
      sqs_managed_sse_enabled = true
    }"#,
        fix: "Set `sqsManagedSseEnabled: true` (Pulumi) or `sqs_managed_sse_enabled = true` (Terraform), or set `kmsMasterKeyId` / `kms_master_key_id` to a customer managed key for audited access. Under `remediate` guardrail enables SSE-SQS, which needs no key policy changes.",
        references: &[
            "Amazon SQS Developer Guide: Encryption at rest — https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html",
            "AWS Security Hub: [SQS.1] Amazon SQS queues should be encrypted at rest — https://docs.aws.amazon.com/securityhub/latest/userguide/sqs-controls.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

const PATH: &str = "sqsManagedSseEnabled";

/// Whether the queue is encrypted: a KMS key, or SSE-SQS not switched off (the AWS default).
fn encrypted(view: ResourceView<'_>) -> Result<bool, Halt> {
    if text(view, "kmsMasterKeyId")?.is_some() {
        return Ok(true);
    }
    Ok(flag(view, PATH)? != Some(false))
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if encrypted(view)? {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "SQS queue `{}` switches server-side encryption off; enable SSE-SQS or set a KMS key",
            view.resource.name
        ))
        .at(at(view, PATH)),
    ))
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if encrypted(view)? {
        return Ok(None);
    }
    Ok(Some(with_unknown_kept(view, PATH, Value::Bool(true))))
}
