//! AWS-EC2-013: EBS encryption by default is not turned off.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read, with};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EC2-013",
    name: "ebs-encryption-by-default",
    title: "EBS encryption by default is enabled",
    description: "With EBS encryption by default every new volume and snapshot copy in the \
                  region is encrypted, whatever the code that creates it says.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["ec2", "ebs"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-aws", controls: &["2.2.1"] },
        Control { framework: "pci-dss", controls: &["3.5.1"] },
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "hipaa", controls: &["164.312(a)(2)(iv)"] },
        Control { framework: "nist-800-53", controls: &["SC-28"] },
    ]),
    resource_types: &[
        "aws_ebs_encryption_by_default",
        "aws:ebs/encryptionByDefault:EncryptionByDefault",
    ],
    remediation: "Set `enabled = true` on the EBS encryption-by-default resource.",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_ebs_encryption_by_default` (Pulumi \
               `aws:ebs/encryptionByDefault:EncryptionByDefault`) must not set `enabled = \
               false`; the resource's default is true. A value known only after apply is \
               indeterminate. The rule sees the setting only where a stack manages it; \
               declare it once per account and region.",
        why: "Per-volume settings are easy to forget in one module, one console click or one \
              third-party tool. The regional default closes the gap: volumes created without \
              `encrypted = true` are encrypted anyway with the default KMS key. The CIS AWS \
              Foundations Benchmark asks for it in every region.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ebs.EncryptionByDefault("default", { enabled: false });

Terraform:

    resource "aws_ebs_encryption_by_default" "default" {
      enabled = false
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ebs.EncryptionByDefault("default", { enabled: true });

Terraform:

    resource "aws_ebs_encryption_by_default" "default" {
      enabled = true
    }"#,
        fix: "Set `enabled = true` (Pulumi `enabled: true`), or omit it; under `remediate` \
              guardrail sets it. Existing volumes are unaffected; new ones are encrypted. \
              Optionally choose the key with `aws_ebs_default_kms_key`.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 2.2.1 Ensure EBS volume encryption is enabled in all regions",
            "AWS: Enable Amazon EBS encryption by default — https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

fn on(view: ResourceView<'_>) -> Result<bool, Halt> {
    Ok(read(view, "enabled")?.and_then(Value::as_bool) != Some(false))
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if on(view)? {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "`{}` turns EBS encryption by default off",
            view.resource.name
        ))
        .at(at(view, "enabled")),
    ))
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if on(view)? {
        return Ok(None);
    }
    Ok(Some(with(view, "enabled", Value::Bool(true))))
}
