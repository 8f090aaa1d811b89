//! AWS-VPC-001: every VPC has flow logs.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Spelling, StackFinding, StackView,
    Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{uncovered, Coverage, Known};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-VPC-001",
    name: "vpc-flow-logs-enabled",
    title: "VPCs have flow logs",
    description: "VPC flow logs record the network traffic of every interface in the VPC; \
                  without them there is no record of connections during an incident.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["vpc"],
    topics: &["logging", "network", "monitoring"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-aws", controls: &["3.7"] },
        Control { framework: "pci-dss", controls: &["10.2.1"] },
        Control { framework: "soc2", controls: &["CC7.2"] },
        Control { framework: "iso27001", controls: &["A.8.15", "A.8.16"] },
        Control { framework: "hipaa", controls: &["164.312(b)"] },
        Control { framework: "nist-800-53", controls: &["AU-12", "SI-4"] },
    ]),
    resource_types: &["aws_vpc", "aws:ec2/vpc:Vpc", "aws_flow_log", "aws:ec2/flowLog:FlowLog"],
    remediation: "Add an `aws_flow_log` with `vpc_id` set to the VPC.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "A stack rule over every managed `aws_vpc` (Pulumi `aws:ec2/vpc:Vpc`). A VPC \
               passes when an `aws_flow_log` (Pulumi `aws:ec2/flowLog:FlowLog`) refers to it \
               through `vpc_id` (Pulumi `vpcId`) — by the VPC's `id`, or a property dependency \
               of `vpc_id` (Pulumi's, or the argument's reference in a Terraform plan's \
               configuration); never by `depends_on`. Flow logs on subnets or network interfaces do not count for the \
               VPC. It is a stack rule because the flow log is a separate resource; each VPC \
               without one is a finding on the VPC.",
        why: "Flow logs are the network's audit trail: which hosts talked to which addresses, \
              on which ports, accepted or rejected. Incident responders use them to find \
              command-and-control traffic, lateral movement and data exfiltration, and to \
              prove what did not happen. They cannot be turned on after the fact for traffic \
              that already passed.",
        noncompliant: r#"Pulumi (TypeScript):

    const vpc = new aws.ec2.Vpc("main", { cidrBlock: "10.0.0.0/16" });

Terraform:

    resource "aws_vpc" "main" {
      cidr_block = "10.0.0.0/16"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ec2.FlowLog("main", {
        vpcId: vpc.id, trafficType: "ALL",
        logDestinationType: "cloud-watch-logs", logDestination: logGroup.arn, iamRoleArn: role.arn,
    });

Terraform:

    resource "aws_flow_log" "main" {
      vpc_id               = aws_vpc.main.id
      traffic_type         = "ALL"
      log_destination_type = "cloud-watch-logs"
      log_destination      = aws_cloudwatch_log_group.flow.arn
      iam_role_arn         = aws_iam_role.flow.arn
    }"#,
        fix: "Add an `aws_flow_log` (Pulumi `aws.ec2.FlowLog`) with `vpc_id = aws_vpc.<name>.id` \
              (`vpcId: vpc.id`), `traffic_type = \"ALL\"` (or at least `REJECT`) and a \
              destination: a CloudWatch Logs group with an IAM role, or an S3 bucket \
              (`log_destination_type = \"s3\"`).",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 3.7 Ensure VPC flow logging is enabled in all VPCs",
            "AWS: Logging IP traffic using VPC Flow Logs — https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html",
        ],
    },
    check: Check::Stack(validate),
    source: file!(),
};

fn validate(view: StackView<'_>, _config: &serde_json::Value) -> Result<Vec<StackFinding>, Halt> {
    let none = |_: ResourceView<'_>| Known::No;
    let present = |_: ResourceView<'_>| Known::Yes;
    let coverage = Coverage {
        target: "aws_vpc",
        names: &["id"],
        companions: &["aws_flow_log"],
        key: "vpcId",
        inline: &none,
        companion: &present,
    };
    Ok(uncovered(view, &coverage, |vpc, _| {
        let add = match vpc.resource.spelling {
            Spelling::Pulumi => "an `aws.ec2.FlowLog` with `vpcId`",
            Spelling::Terraform => "an `aws_flow_log` with `vpc_id`",
        };
        Violation::new(format!(
            "VPC `{}` has no flow log: add {add} set to it",
            vpc.resource.name
        ))
    }))
}
