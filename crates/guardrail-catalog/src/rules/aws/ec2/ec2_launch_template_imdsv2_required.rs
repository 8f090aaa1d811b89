//! AWS-EC2-003: launch templates and launch configurations require IMDSv2.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use super::ec2_instance_imdsv2_required::{imds_fix, imds_verdict};
use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::canonical;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EC2-003",
    name: "ec2-launch-template-imdsv2-required",
    title: "Launch templates and launch configurations require IMDSv2",
    description: "Every instance an Auto Scaling group, a node group or a fleet starts inherits \
                  the launch template's metadata options; they must require IMDSv2 session \
                  tokens.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["ec2"],
    topics: &["identity", "network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-aws", controls: &["5.6"] },
        Control { framework: "iso27001", controls: &["A.8.9"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "CM-6"] },
    ]),
    resource_types: &[
        "aws_launch_template",
        "aws:ec2/launchTemplate:LaunchTemplate",
        "aws_launch_configuration",
        "aws:ec2/launchConfiguration:LaunchConfiguration",
    ],
    remediation: "Set `metadata_options.http_tokens` to `required` in the launch template.",
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_launch_template` (Pulumi `aws:ec2/launchTemplate:LaunchTemplate`) and \
               `aws_launch_configuration` (Pulumi `aws:ec2/launchConfiguration:LaunchConfiguration`) \
               must set `metadata_options.http_tokens = \"required\"` (Pulumi \
               `metadataOptions.httpTokens`) or `http_endpoint = \"disabled\"`. `optional` or no \
               setting is a violation. In Terraform plans a `metadata_options` the configuration leaves out \
               counts as not set; a known-only-after-apply `http_tokens` is \
               indeterminate.",
        why: "A launch template is multiplied by every instance started from it — Auto Scaling \
              groups, EKS managed node groups, Spot fleets. IMDSv1 on those instances lets \
              server-side request forgery read the instance role's credentials from the \
              metadata service; requiring session tokens closes that path fleet-wide.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ec2.LaunchTemplate("workers", { imageId: ami.id, instanceType: "m6i.large" });

Terraform:

    resource "aws_launch_template" "workers" {
      image_id      = data.aws_ami.al2023.id
      instance_type = "m6i.large"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ec2.LaunchTemplate("workers", {
        imageId: ami.id,
        instanceType: "m6i.large",
        metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 },
    });

Terraform:

    resource "aws_launch_template" "workers" {
      image_id      = data.aws_ami.al2023.id
      instance_type = "m6i.large"
      metadata_options {
        http_tokens                 = "required"
        http_put_response_hop_limit = 2
      }
    }"#,
        fix: "Add `metadata_options { http_tokens = \"required\" }` (Pulumi `metadataOptions: { \
              httpTokens: \"required\" }`); containers that reach the metadata service through \
              a bridge network need `http_put_response_hop_limit = 2`. Under `remediate` \
              guardrail sets `http_tokens`; the fix is unsafe because IMDSv1-only software on \
              the instances stops getting metadata.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 5.6 Ensure that EC2 Metadata Service only allows IMDSv2",
            "AWS: Configure the instance metadata options for new instances — https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

fn noun(view: &ResourceView<'_>) -> &'static str {
    if canonical(view) == "aws_launch_configuration" {
        "launch configuration"
    } else {
        "launch template"
    }
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    imds_verdict(view, "metadataOptions", noun(&view))
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    imds_fix(view, "metadataOptions", noun(&view))
}
