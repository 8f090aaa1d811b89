//! AWS-EC2-015: EBS volumes attached at launch are deleted with the instance.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, items_at, read_in, read_inline_first};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EC2-015",
    name: "ec2-instance-ebs-delete-on-termination",
    title: "EBS volumes attached at launch are deleted with the instance",
    description: "A block device with `delete_on_termination = false` outlives its instance as \
                  an unattached, unmanaged volume that keeps costing money and keeps its data.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["ec2", "ebs"],
    topics: &["hygiene", "cost"],
    frameworks: Frameworks::None {
        reason: "orphaned volumes are a cost and data-lifecycle hygiene issue that no framework \
                 control names directly",
    },
    resource_types: &["aws_instance", "aws:ec2/instance:Instance"],
    remediation: "Set `delete_on_termination = true` on the block device, or manage the volume \
                  as its own `aws_ebs_volume` with a volume attachment.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "The `root_block_device` and each `ebs_block_device` of an `aws_instance` (Pulumi \
               `aws:ec2/instance:Instance`, `rootBlockDevice`, `ebsBlockDevices[]`): \
               `delete_on_termination` (Pulumi `deleteOnTermination`) set to false is a \
               violation, one per device. Not set means true, the provider's default. A value \
               known only after apply is indeterminate. This covers the decidable part of \
               AWSGuard's `ec2-volume-inuse` (its check that every instance has an extra EBS \
               volume is not a security property and is left out).",
        why: "Volumes that survive their instance are forgotten: nobody patches or watches them, \
              they still hold whatever the instance wrote, and they are billed every month. A \
              volume that must outlive instances should be its own resource, with its own \
              lifecycle, backups and owner.",
        noncompliant: r#"Pulumi (TypeScript):

    ebsBlockDevices: [{ deviceName: "/dev/sdf", volumeSize: 100, encrypted: true, deleteOnTermination: false }],

Terraform:

    ebs_block_device {
      device_name           = "/dev/sdf"
      volume_size           = 100
      encrypted             = true
      delete_on_termination = false
    }"#,
        compliant: r#"Pulumi (TypeScript):

    ebsBlockDevices: [{ deviceName: "/dev/sdf", volumeSize: 100, encrypted: true, deleteOnTermination: true }],

Terraform:

    ebs_block_device {
      device_name           = "/dev/sdf"
      volume_size           = 100
      encrypted             = true
      delete_on_termination = true
    }"#,
        fix: "Remove `delete_on_termination = false` (Pulumi `deleteOnTermination: false`) or \
              set it to true. For data that must survive the instance, declare an \
              `aws_ebs_volume` and an `aws_volume_attachment` (Pulumi `aws.ebs.Volume`, \
              `aws.ec2.VolumeAttachment`) and back it up with AWS Backup or DLM.",
        references: &[
            "AWS: Preserve data when an instance is terminated — https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/preserving-volumes-on-termination.html",
            "Pulumi AWSGuard policy pack: ec2-volume-inuse",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let spelling = view.resource.spelling;
    let mut devices = Vec::new();
    for camels in [
        &["rootBlockDevice"][..],
        &["ebsBlockDevices", "ebsBlockDevice"][..],
    ] {
        if let Some((list, camel)) = read_inline_first(view, camels)? {
            devices.extend(items_at(list, &at(view, camel))?);
        }
    }
    let mut violations = Vec::new();
    for (path, device) in devices {
        if read_in(device, spelling, &path, "deleteOnTermination")?.and_then(Value::as_bool)
            == Some(false)
        {
            violations.push(
                Violation::new(format!(
                    "the volume at {path} of instance `{}` is kept when the instance terminates",
                    view.resource.name
                ))
                .at(format!("{path}.{}", at(view, "deleteOnTermination"))),
            );
        }
    }
    Ok(Verdict::from_violations(violations))
}
