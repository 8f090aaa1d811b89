//! AWS-EC2-005: launch templates and launch configurations assign no public IPv4 address.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, canonical, items_of, read, read_in};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EC2-005",
    name: "ec2-launch-template-no-public-ip",
    title: "Launch templates and launch configurations assign no public IPv4 address",
    description: "A launch template that associates public IP addresses makes every instance \
                  an Auto Scaling group starts reachable from the internet.",
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
    resource_types: &[
        "aws_launch_template",
        "aws:ec2/launchTemplate:LaunchTemplate",
        "aws_launch_configuration",
        "aws:ec2/launchConfiguration:LaunchConfiguration",
    ],
    remediation: "Set `associate_public_ip_address` to false in every network interface of the \
                  template.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Each `network_interfaces` block of an `aws_launch_template` (Pulumi \
               `aws:ec2/launchTemplate:LaunchTemplate`, `networkInterfaces[]`) and the \
               `associate_public_ip_address` of an `aws_launch_configuration` (Pulumi \
               `aws:ec2/launchConfiguration:LaunchConfiguration`): `associate_public_ip_address` \
               (Pulumi `associatePublicIpAddress`, a string `\"true\"` in launch templates) set \
               to true is a violation, one per interface. Unset leaves the decision to the \
               subnet (AWS-VPC-005). A value known only after apply is indeterminate.",
        why: "Instances started from the template get a public address each, so a single \
              permissive security group rule exposes the whole group to the internet. Fleets \
              behind load balancers need no public addresses; outbound access goes through a \
              NAT gateway.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ec2.LaunchTemplate("workers", {
        imageId: ami.id,
        networkInterfaces: [{ associatePublicIpAddress: "true", securityGroups: [sg.id] }],
    });

Terraform:

    resource "aws_launch_template" "workers" {
      image_id = data.aws_ami.al2023.id
      network_interfaces {
        associate_public_ip_address = true
        security_groups             = [aws_security_group.workers.id]
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ec2.LaunchTemplate("workers", {
        imageId: ami.id,
        networkInterfaces: [{ associatePublicIpAddress: "false", securityGroups: [sg.id] }],
    });

Terraform:

    resource "aws_launch_template" "workers" {
      image_id = data.aws_ami.al2023.id
      network_interfaces {
        associate_public_ip_address = false
        security_groups             = [aws_security_group.workers.id]
      }
    }"#,
        fix: "Set `associate_public_ip_address = false` (Pulumi `associatePublicIpAddress: \
              \"false\"` on launch templates, `false` on launch configurations), or remove it and \
              launch into private subnets.",
        references: &[
            "AWS: Create a launch template — network interfaces — https://docs.aws.amazon.com/autoscaling/ec2/userguide/create-launch-template.html",
            "PCI DSS v4.0: 1.3.1, 1.4.4; NIST SP 800-53 Rev. 5: SC-7, AC-4",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let name = &view.resource.name;
    if canonical(&view) == "aws_launch_configuration" {
        if read(view, "associatePublicIpAddress")?.and_then(Value::as_bool) == Some(true) {
            return Ok(Verdict::violation(
                Violation::new(format!(
                    "launch configuration `{name}` assigns public IP addresses"
                ))
                .at(at(view, "associatePublicIpAddress")),
            ));
        }
        return Ok(Verdict::Pass);
    }
    let mut violations = Vec::new();
    for (path, interface) in items_of(view, &["networkInterfaces"])? {
        let public = read_in(
            interface,
            view.resource.spelling,
            &path,
            "associatePublicIpAddress",
        )?;
        if public.and_then(Value::as_bool) == Some(true) {
            violations.push(
                Violation::new(format!(
                    "launch template `{name}` assigns a public IP address on {path}"
                ))
                .at(format!("{path}.{}", at(view, "associatePublicIpAddress"))),
            );
        }
    }
    Ok(Verdict::from_violations(violations))
}
