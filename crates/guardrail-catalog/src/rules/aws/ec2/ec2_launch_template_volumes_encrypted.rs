//! AWS-EC2-009: launch templates and launch configurations encrypt their EBS volumes.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, canonical, items_at, items_of, read_in, read_inline_first, Known};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EC2-009",
    name: "ec2-launch-template-volumes-encrypted",
    title: "Launch templates and launch configurations encrypt their EBS volumes",
    description: "Block device mappings in a launch template apply to every instance started \
                  from it; each EBS mapping must be encrypted.",
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
    resource_types: &[
        "aws_launch_template",
        "aws:ec2/launchTemplate:LaunchTemplate",
        "aws_launch_configuration",
        "aws:ec2/launchConfiguration:LaunchConfiguration",
    ],
    remediation: "Set `encrypted` to true in every EBS block device mapping of the template.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Each `block_device_mappings[].ebs` of an `aws_launch_template` (Pulumi \
               `aws:ec2/launchTemplate:LaunchTemplate`, `blockDeviceMappings[].ebs`) must set \
               `encrypted` to true (launch templates spell it as the string `\"true\"`); \
               mappings without an `ebs` block (instance store, `no_device`) are skipped. For an \
               `aws_launch_configuration` (Pulumi `aws:ec2/launchConfiguration:LaunchConfiguration`) \
               the `root_block_device` and each `ebs_block_device` (Pulumi `rootBlockDevice`, \
               `ebsBlockDevices[]`) must set `encrypted = true`, and a launch configuration \
               without a `root_block_device` is a violation, as an instance without one is \
               (AWS-EC2-007). Volumes a launch template does not \
               map come from the AMI and are not visible here (AWS-EC2-013 covers the account \
               default). Each unencrypted mapping is a violation; values known only after \
               apply are indeterminate.",
        why: "Every instance an Auto Scaling group or node group launches gets these volumes. \
              One unencrypted mapping means a fleet of unencrypted disks holding logs, caches \
              and application data, readable from any snapshot of them.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ec2.LaunchTemplate("workers", {
        imageId: ami.id,
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 50 } }],
    });

Terraform:

    resource "aws_launch_template" "workers" {
      image_id = data.aws_ami.al2023.id
      block_device_mappings {
        device_name = "/dev/xvda"
        ebs {
          volume_size = 50
        }
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 50, encrypted: "true", kmsKeyId: key.arn } }],

Terraform:

    block_device_mappings {
      device_name = "/dev/xvda"
      ebs {
        volume_size = 50
        encrypted   = true
        kms_key_id  = aws_kms_key.ebs.arn
      }
    }"#,
        fix: "Set `encrypted = true` in each `ebs` block (Pulumi `encrypted: \"true\"` on launch \
              templates, `encrypted: true` on launch configurations), optionally with a KMS key. \
              A new template version is created; roll the Auto Scaling group to replace \
              running instances.",
        references: &[
            "AWS: Amazon EBS encryption — https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
            "AWS: Launch template block device mappings — https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/block-device-mapping-concepts.html",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn encrypted(device: &Value, spelling: guardrail_core::Spelling, base: &str) -> Result<bool, Halt> {
    Ok(read_in(device, spelling, base, "encrypted")?.and_then(Value::as_bool) == Some(true))
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let spelling = view.resource.spelling;
    let name = &view.resource.name;
    let mut devices: Vec<(String, &Value)> = Vec::new();
    let mut violations = Vec::new();
    let noun = if canonical(&view) == "aws_launch_configuration" {
        match read_inline_first(view, &["rootBlockDevice"])? {
            Some((root, camel)) => devices.extend(items_at(root, &at(view, camel))?),
            // as for an instance (AWS-EC2-007): no block leaves the root volume to the AMI
            None => {
                let base = at(view, "rootBlockDevice");
                violations.push(
                    Violation::new(format!(
                        "launch configuration `{name}` declares no encrypted root volume \
                         (`{base}`)"
                    ))
                    .at(base),
                );
            }
        }
        if let Some((list, camel)) =
            read_inline_first(view, &["ebsBlockDevices", "ebsBlockDevice"])?
        {
            devices.extend(items_at(list, &at(view, camel))?);
        }
        "launch configuration"
    } else {
        for (path, mapping) in items_of(view, &["blockDeviceMappings"])? {
            if let Some(ebs) = read_in(mapping, spelling, &path, "ebs")? {
                devices.extend(items_at(ebs, &format!("{path}.ebs"))?);
            }
        }
        "launch template"
    };
    let mut unknown = None;
    for (path, device) in devices {
        match Known::from_result(encrypted(device, spelling, &path)) {
            Known::Yes => {}
            Known::Unknown(p) | Known::UnknownIn(_, p) => {
                unknown.get_or_insert(p);
            }
            Known::No => violations.push(
                Violation::new(format!(
                    "{noun} `{name}` maps an unencrypted EBS volume at {path}"
                ))
                .at(format!("{path}.encrypted")),
            ),
        }
    }
    match (violations.is_empty(), unknown) {
        (true, Some(path)) => Err(Halt::unknown(path)),
        _ => Ok(Verdict::from_violations(violations)),
    }
}
