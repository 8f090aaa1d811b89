//! AWS-EC2-007: EC2 instance root volumes are encrypted.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};
use serde_json::json;

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::config_str;
use crate::support::{at, read_in, read_inline};

/// Checks one block device: encrypted, and with the configured key when there is one.
pub(crate) fn device_problem(
    device: &Value,
    spelling: guardrail_core::Spelling,
    base: &str,
    key: &str,
) -> Result<Option<(String, String)>, Halt> {
    let encrypted = read_in(device, spelling, base, "encrypted")?.and_then(Value::as_bool);
    let enc_path = format!("{base}.encrypted");
    if encrypted != Some(true) {
        return Ok(Some(("is not encrypted".to_string(), enc_path)));
    }
    if key.trim().is_empty() {
        return Ok(None);
    }
    let kms_path = format!("{base}.{}", crate::support::spelled(spelling, "kmsKeyId"));
    let used = read_in(device, spelling, base, "kmsKeyId")?.and_then(Value::as_str);
    if used.is_some_and(|u| u.trim() == key.trim()) {
        return Ok(None);
    }
    Ok(Some((
        format!("is not encrypted with the required key `{key}`"),
        kms_path,
    )))
}

/// The `kmsKeyId` configuration schema shared with AWS-EC2-008.
pub(crate) fn schema() -> serde_json::Value {
    json!({
        "type": "object",
        "properties": {
            "kmsKeyId": {
                "description": "When set, the KMS key (ARN, as the volume names it) volumes must be encrypted with; empty accepts any key.",
                "type": "string",
                "default": ""
            }
        }
    })
}

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EC2-007",
    name: "ec2-instance-root-volume-encrypted",
    title: "EC2 instance root volumes are encrypted",
    description: "The root volume holds the operating system, logs, caches and often \
                  application data; it must be encrypted like any other volume.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["ec2", "ebs"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["3.5.1"] },
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "hipaa", controls: &["164.312(a)(2)(iv)"] },
        Control { framework: "nist-800-53", controls: &["SC-28"] },
    ]),
    resource_types: &["aws_instance", "aws:ec2/instance:Instance"],
    remediation: "Set `root_block_device.encrypted = true`.",
    fix: FixSafety::None,
    config_schema: Some(schema),
    docs: RuleDocs {
        what: "Every `aws_instance` (Pulumi `aws:ec2/instance:Instance`) must declare a \
               `root_block_device` (Pulumi `rootBlockDevice`) with `encrypted = true`; with \
               `kmsKeyId` configured, its `kms_key_id` must also equal that key. A missing block is a violation (the AMI's snapshot and the account \
               default decide, which a plan does not show); in Terraform plans a \
               `root_block_device` the configuration leaves out counts as missing. An `encrypted` known only after apply is \
               indeterminate. With AWS-EC2-008 this is AWSGuard's `encrypted-volumes` (its \
               `kmsId` option is `kmsKeyId` here).",
        why: "Root volumes collect more than the operating system: application logs, temporary \
              files, swap, caches and credentials written to disk. Left unencrypted, they leak \
              through every snapshot and AMI made from the instance.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ec2.Instance("app", { ami: ami.id, instanceType: "t3.micro" });

Terraform:

    resource "aws_instance" "app" {
      ami           = data.aws_ami.al2023.id
      instance_type = "t3.micro"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ec2.Instance("app", {
        ami: ami.id, instanceType: "t3.micro",
        rootBlockDevice: { encrypted: true, kmsKeyId: key.arn, volumeSize: 20 },
    });

Terraform:

    resource "aws_instance" "app" {
      ami           = data.aws_ami.al2023.id
      instance_type = "t3.micro"
      root_block_device {
        encrypted   = true
        kms_key_id  = aws_kms_key.ebs.arn
        volume_size = 20
      }
    }"#,
        fix: "Add `root_block_device { encrypted = true }` (Pulumi `rootBlockDevice: { encrypted: \
              true }`), with `kms_key_id` when `kmsKeyId` is configured. Changing it replaces \
              the instance. Account-level EBS encryption by default (AWS-EC2-013) encrypts new \
              root volumes too.",
        references: &[
            "AWS: Amazon EBS encryption — https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
            "Pulumi AWSGuard policy pack: encrypted-volumes",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Verdict, Halt> {
    let key = config_str(config, "kmsKeyId")?;
    let name = &view.resource.name;
    let base = at(view, "rootBlockDevice");
    let Some(root) = read_inline(view, "rootBlockDevice")? else {
        return Ok(Verdict::violation(
            Violation::new(format!(
                "instance `{name}` declares no encrypted root volume (`{base}`)"
            ))
            .at(base),
        ));
    };
    match device_problem(root, view.resource.spelling, &base, key)? {
        None => Ok(Verdict::Pass),
        Some((problem, path)) => Ok(Verdict::violation(
            Violation::new(format!("the root volume of instance `{name}` {problem}")).at(path),
        )),
    }
}
