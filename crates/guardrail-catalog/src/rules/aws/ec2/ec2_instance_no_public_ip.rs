//! AWS-EC2-004: EC2 instances do not get a public IPv4 address.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EC2-004",
    name: "ec2-instance-no-public-ip",
    title: "EC2 instances do not get a public IPv4 address",
    description: "An instance with a public IP address is reachable from the internet wherever \
                  its security groups allow; instances belong in private subnets behind load \
                  balancers or NAT.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["ec2"],
    topics: &["network", "public-access"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["1.3.1", "1.4.4"] },
        Control { framework: "soc2", controls: &["CC6.6"] },
        Control { framework: "iso27001", controls: &["A.8.20"] },
        Control { framework: "nist-800-53", controls: &["SC-7", "AC-4"] },
    ]),
    resource_types: &["aws_instance", "aws:ec2/instance:Instance"],
    remediation: "Set `associate_public_ip_address = false` and place the instance in a private \
                  subnet.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_instance` (Pulumi `aws:ec2/instance:Instance`): \
               `associate_public_ip_address` (Pulumi `associatePublicIpAddress`) set to true is \
               a violation. When it is not set the subnet's `map_public_ip_on_launch` decides, \
               which this rule cannot see; AWS-VPC-005 checks subnets. This is AWSGuard's \
               `ec2-instance-no-public-ip`. Terraform plans show the argument as known after \
               apply when the configuration does not set it; guardrail reads that as not set \
               (a pass), and a value set from an expression known only after apply as \
               indeterminate.",
        why: "A public address puts the instance one security-group mistake away from the \
              internet, and every open port on it is scanned within minutes. Instances behind a \
              load balancer or reached through Session Manager need no public address, and \
              PCI DSS asks that system components in the cardholder data environment are not \
              directly reachable from untrusted networks.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ec2.Instance("app", { ami: ami.id, instanceType: "t3.micro", associatePublicIpAddress: true });

Terraform:

    resource "aws_instance" "app" {
      ami                         = data.aws_ami.al2023.id
      instance_type               = "t3.micro"
      associate_public_ip_address = true
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ec2.Instance("app", {
        ami: ami.id, instanceType: "t3.micro", subnetId: privateSubnet.id, associatePublicIpAddress: false,
    });

Terraform:

    resource "aws_instance" "app" {
      ami                         = data.aws_ami.al2023.id
      instance_type               = "t3.micro"
      subnet_id                   = aws_subnet.private.id
      associate_public_ip_address = false
    }"#,
        fix: "Set `associate_public_ip_address = false` (Pulumi `associatePublicIpAddress: \
              false`) and launch the instance in a private subnet; publish services through an \
              Application or Network Load Balancer and administer through AWS Systems Manager \
              Session Manager. Changing the setting replaces the instance.",
        references: &[
            "AWS: Amazon EC2 instance IP addressing — https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html",
            "Pulumi AWSGuard policy pack: ec2-instance-no-public-ip",
            "PCI DSS v4.0: 1.3.1, 1.4.4; NIST SP 800-53 Rev. 5: SC-7, AC-4",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let public = read(view, "associatePublicIpAddress")?;
    if public.and_then(Value::as_bool) != Some(true) {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "instance `{}` is given a public IP address",
            view.resource.name
        ))
        .at(at(view, "associatePublicIpAddress")),
    ))
}
