//! AWS-EC2-023: EC2 instances run with an instance profile.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EC2-023",
    name: "ec2-instance-iam-profile",
    title: "EC2 instances run with an instance profile",
    description: "Instances without an IAM instance profile cannot use temporary role \
                  credentials or Session Manager, which pushes teams towards long-lived access \
                  keys and SSH.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["ec2"],
    topics: &["identity", "least-privilege"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "iso27001", controls: &["A.5.17"] },
        Control { framework: "nist-800-53", controls: &["IA-5", "AC-2"] },
    ]),
    resource_types: &["aws_instance", "aws:ec2/instance:Instance"],
    remediation: "Attach an instance profile with a least-privilege role (at least \
                  `AmazonSSMManagedInstanceCore` for Session Manager).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_instance` (Pulumi `aws:ec2/instance:Instance`) must set \
               `iam_instance_profile` (Pulumi `iamInstanceProfile`) to a non-empty value; not \
               set is a violation. A profile known only after apply (created in the same \
               change) passes, because any value will do.",
        why: "An instance role gives software on the instance short-lived, automatically \
              rotated credentials scoped by a policy. Without one, applications that call AWS \
              need static access keys on disk, and administrators need SSH keys and open ports \
              instead of Session Manager.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ec2.Instance("app", { ami: ami.id, instanceType: "t3.micro" });

Terraform:

    resource "aws_instance" "app" {
      ami           = data.aws_ami.al2023.id
      instance_type = "t3.micro"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ec2.Instance("app", { ami: ami.id, instanceType: "t3.micro", iamInstanceProfile: profile.name });

Terraform:

    resource "aws_instance" "app" {
      ami                  = data.aws_ami.al2023.id
      instance_type        = "t3.micro"
      iam_instance_profile = aws_iam_instance_profile.app.name
    }"#,
        fix: "Create an `aws_iam_role` trusted by `ec2.amazonaws.com` with the permissions the \
              application needs, an `aws_iam_instance_profile` for it, and set \
              `iam_instance_profile` (Pulumi `iamInstanceProfile`) on the instance.",
        references: &[
            "AWS: IAM roles for Amazon EC2 — https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if view
        .props
        .get("iamInstanceProfile")
        .is_some_and(Value::is_unknown)
    {
        return Ok(Verdict::Pass);
    }
    let profile = read(view, "iamInstanceProfile")?
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty());
    if profile.is_some() {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "instance `{}` has no IAM instance profile",
            view.resource.name
        ))
        .at(at(view, "iamInstanceProfile")),
    ))
}
