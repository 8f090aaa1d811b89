//! AWS-EC2-021: AMIs are not shared with everyone.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EC2-021",
    name: "ec2-ami-not-public",
    title: "AMIs are not shared with everyone",
    description: "A launch permission for the group `all` makes an AMI — and the snapshots \
                  behind it — public to every AWS account.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["ec2"],
    topics: &["public-access"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["7.2.1"] },
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.8.3"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "AC-21"] },
    ]),
    resource_types: &[
        "aws_ami_launch_permission",
        "aws:ec2/amiLaunchPermission:AmiLaunchPermission",
    ],
    remediation: "Share the AMI with specific accounts, organisations or OUs instead of `all`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_ami_launch_permission` (Pulumi \
               `aws:ec2/amiLaunchPermission:AmiLaunchPermission`) with `group = \"all\"` is a \
               violation. Permissions for an `account_id`, `organization_arn` or \
               `organizational_unit_arn` pass. A group known only after apply is \
               indeterminate.",
        why: "Anyone can launch a public AMI and read its disks: build-time secrets, SSH host \
              keys, application code and configuration baked into the image are all exposed. \
              Public AMIs are a recurring source of leaked cloud credentials.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ec2.AmiLaunchPermission("share", { imageId: ami.id, group: "all" });

Terraform:

    resource "aws_ami_launch_permission" "share" {
      image_id = aws_ami.app.id
      group    = "all"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ec2.AmiLaunchPermission("share", { imageId: ami.id, organizationArn: org.arn });

Terraform:

    resource "aws_ami_launch_permission" "share" {
      image_id         = aws_ami.app.id
      organization_arn = data.aws_organizations_organization.current.arn
    }"#,
        fix: "Replace `group = \"all\"` (Pulumi `group: \"all\"`) with `account_id`, \
              `organization_arn` or `organizational_unit_arn` (Pulumi `accountId`, \
              `organizationArn`, `organizationalUnitArn`). Turn on AMI block public access \
              (AWS-EC2-022) as a backstop.",
        references: &[
            "AWS: Share an AMI with specific organizations or organizational units — https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/share-amis-with-organizations-and-OUs.html",
            "AWS: Understand block public access for AMIs — https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/block-public-access-to-amis.html",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let group = read(view, "group")?.and_then(Value::as_str);
    if group.is_some_and(|g| g.trim().eq_ignore_ascii_case("all")) {
        return Ok(Verdict::violation(
            Violation::new(format!(
                "launch permission `{}` makes the AMI public (group `all`)",
                view.resource.name
            ))
            .at(at(view, "group")),
        ));
    }
    Ok(Verdict::Pass)
}
