//! AWS-EC2-008: EBS volumes attached at launch are encrypted.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use super::ec2_instance_root_volume_encrypted::{device_problem, schema};
use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::config_str;
use crate::support::{at, items_at, read_in, read_inline_first};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EC2-008",
    name: "ec2-instance-ebs-volumes-encrypted",
    title: "EBS volumes attached to instances at launch are encrypted",
    description: "Every `ebs_block_device` of an instance must be encrypted, with the required \
                  KMS key when one is configured.",
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
    remediation: "Set `encrypted = true` on every `ebs_block_device` of the instance.",
    fix: FixSafety::None,
    config_schema: Some(schema),
    docs: RuleDocs {
        what: "Each `ebs_block_device` of an `aws_instance` (Pulumi `aws:ec2/instance:Instance`, \
               `ebsBlockDevices[]`) must set `encrypted = true`; with `kmsKeyId` configured its \
               `kms_key_id` must equal that key. Each failing device is a violation; an \
               instance without such devices passes. In Terraform plans an `ebs_block_device` the configuration leaves out \
               counts as empty; an `encrypted` known only after apply is \
               indeterminate. With AWS-EC2-007 this is AWSGuard's `encrypted-volumes`.",
        why: "Data volumes attached at launch usually hold the application's data — databases, \
              queues, uploads. Unencrypted, that data sits in the clear on the volume and in \
              every snapshot, backup and AMI made from it.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ec2.Instance("db", {
        ami: ami.id, instanceType: "r6i.large",
        ebsBlockDevices: [{ deviceName: "/dev/sdf", volumeSize: 200 }],
    });

Terraform:

    resource "aws_instance" "db" {
      ami           = data.aws_ami.al2023.id
      instance_type = "r6i.large"
      ebs_block_device {
        device_name = "/dev/sdf"
        volume_size = 200
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    ebsBlockDevices: [{ deviceName: "/dev/sdf", volumeSize: 200, encrypted: true, kmsKeyId: key.arn }],

Terraform:

    ebs_block_device {
      device_name = "/dev/sdf"
      volume_size = 200
      encrypted   = true
      kms_key_id  = aws_kms_key.ebs.arn
    }"#,
        fix: "Set `encrypted = true` (Pulumi `encrypted: true`) on each `ebs_block_device` \
              (`ebsBlockDevices[]`), with `kms_key_id` (`kmsKeyId`) when `kmsKeyId` is \
              configured. Changing it replaces the volume: migrate the data first.",
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
    let spelling = view.resource.spelling;
    let Some((list, camel)) = read_inline_first(view, &["ebsBlockDevices", "ebsBlockDevice"])?
    else {
        return Ok(Verdict::Pass);
    };
    let mut violations = Vec::new();
    for (path, device) in items_at(list, &at(view, camel))? {
        if let Some((problem, at_path)) = device_problem(device, spelling, &path, key)? {
            let label = read_in(device, spelling, &path, "deviceName")?
                .and_then(guardrail_core::Value::as_str)
                .map_or_else(|| path.clone(), |d| format!("`{d}`"));
            violations.push(
                Violation::new(format!(
                    "EBS volume {label} of instance `{}` {problem}",
                    view.resource.name
                ))
                .at(at_path),
            );
        }
    }
    Ok(Verdict::from_violations(violations))
}
