//! AWS-EC2-006: EBS volumes are encrypted.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read_inline};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EC2-006",
    name: "ebs-volume-encrypted",
    title: "EBS volumes are encrypted",
    description: "An unencrypted EBS volume, and every snapshot taken of it, holds its data in \
                  the clear.",
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
    resource_types: &["aws_ebs_volume", "aws:ebs/volume:Volume", "aws:ec2/volume:Volume"],
    remediation: "Set `encrypted = true` (and a KMS key in `kms_key_id`) on the volume.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_ebs_volume` (Pulumi `aws:ebs/volume:Volume`) must set `encrypted = \
               true`. False or not set is a violation: whether the account's default \
               encryption applies cannot be seen in a plan, so the rule asks for it to be \
               explicit (AWS-EC2-013 checks the account default). In Terraform plans an `encrypted` the configuration leaves out (shown \
               as known after apply) counts as not set; a value known only after \
               apply is indeterminate.",
        why: "EBS encryption protects data at rest, in snapshots and in transit between the \
              instance and the volume, with no performance cost on current instance types. \
              Unencrypted volumes are readable from any snapshot that is shared or copied, and \
              auditors for PCI DSS and HIPAA ask for encryption of stored data.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ebs.Volume("data", { availabilityZone: "eu-west-1a", size: 100 });

Terraform:

    resource "aws_ebs_volume" "data" {
      availability_zone = "eu-west-1a"
      size              = 100
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ebs.Volume("data", { availabilityZone: "eu-west-1a", size: 100, encrypted: true, kmsKeyId: key.arn });

Terraform:

    resource "aws_ebs_volume" "data" {
      availability_zone = "eu-west-1a"
      size              = 100
      encrypted         = true
      kms_key_id        = aws_kms_key.ebs.arn
    }"#,
        fix: "Set `encrypted = true` (Pulumi `encrypted: true`) and optionally `kms_key_id` \
              (`kmsKeyId`). Encryption cannot be turned on in place: for an existing volume, \
              snapshot it, copy the snapshot with encryption, and create a new volume from the \
              copy. Turning on EBS encryption by default (AWS-EC2-013) covers new volumes.",
        references: &[
            "AWS: Amazon EBS encryption — https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
            "PCI DSS v4.0: 3.5.1; NIST SP 800-53 Rev. 5: SC-28; HIPAA: 164.312(a)(2)(iv)",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if read_inline(view, "encrypted")?.and_then(Value::as_bool) == Some(true) {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "EBS volume `{}` is not encrypted",
            view.resource.name
        ))
        .at(at(view, "encrypted")),
    ))
}
