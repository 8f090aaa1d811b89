//! AWS-EC2-022: AMI block public access is on.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use super::{block_public_access_fix, block_public_access_verdict};
use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

const WANT: &str = "block-new-sharing";

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EC2-022",
    name: "ec2-image-block-public-access",
    title: "AMI block public access is on",
    description: "Block public access for AMIs stops anyone in the account from making an AMI \
                  public in the region.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["ec2"],
    topics: &["public-access"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.8.3"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "AC-21"] },
    ]),
    resource_types: &[
        "aws_ec2_image_block_public_access",
        "aws:ec2/imageBlockPublicAccess:ImageBlockPublicAccess",
    ],
    remediation: "Set `state` to `block-new-sharing`.",
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_ec2_image_block_public_access` (Pulumi \
               `aws:ec2/imageBlockPublicAccess:ImageBlockPublicAccess`) must set `state = \
               \"block-new-sharing\"`; `unblocked` is a violation. A state known only after \
               apply is indeterminate.",
        why: "A single `ModifyImageAttribute` call can publish an AMI with everything baked \
              into it. The regional block refuses such calls for every principal, so a \
              mistake in one pipeline cannot publish an image.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ec2.ImageBlockPublicAccess("amis", { state: "unblocked" });

Terraform:

    resource "aws_ec2_image_block_public_access" "amis" {
      state = "unblocked"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ec2.ImageBlockPublicAccess("amis", { state: "block-new-sharing" });

Terraform:

    resource "aws_ec2_image_block_public_access" "amis" {
      state = "block-new-sharing"
    }"#,
        fix: "Set `state = \"block-new-sharing\"` (Pulumi `state: \"block-new-sharing\"`); under \
              `remediate` guardrail does so. The fix is unsafe for accounts that publish AMIs \
              on purpose (vendors on AWS Marketplace).",
        references: &[
            "AWS: Understand block public access for AMIs — https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/block-public-access-to-amis.html",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    block_public_access_verdict(view, WANT, "AMI block public access")
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    block_public_access_fix(view, WANT)
}
