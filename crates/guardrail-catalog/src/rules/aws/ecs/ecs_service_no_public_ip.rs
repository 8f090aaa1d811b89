//! AWS-ECS-009: ECS services do not assign public IPs

use crate::support::{at, flag};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ECS-009",
    name: "ecs-service-no-public-ip",
    title: "ECS services do not give tasks public IP addresses",
    description: "Tasks with public IP addresses are reachable from the internet wherever their security groups allow, bypassing the load balancer in front of them.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["ecs"],
    topics: &["network", "public-access"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["1.3.1", "1.4.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.6"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.20", "A.8.22"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-7", "AC-4"],
        },
    ]),
    resource_types: &[
        "aws_ecs_service",
        "aws:ecs/service:Service",
    ],
    remediation: "Set `assign_public_ip` (Pulumi `assignPublicIp`) to false and run tasks in private subnets with a NAT gateway or VPC endpoints.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every ECS service (`aws_ecs_service`, Pulumi `aws:ecs/service:Service`): `network_configuration.assign_public_ip` (Pulumi `networkConfiguration.assignPublicIp`) must not be true. Not set means false and passes. A value known only after apply is indeterminate.",
        why: "A public IP makes each task directly addressable from the internet: one permissive security group rule later, the container port is exposed without the load balancer's TLS, WAF and health checks. AWS Security Hub ECS.2 rates it high.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ecs.Service("web", {
        cluster: cluster.arn, taskDefinition: task.arn, launchType: "FARGATE",
        networkConfiguration: { subnets: publicSubnetIds, assignPublicIp: true },
    });

Terraform:

    resource "aws_ecs_service" "web" {
      cluster         = aws_ecs_cluster.main.arn
      task_definition = aws_ecs_task_definition.web.arn
      launch_type     = "FARGATE"
      network_configuration {
        subnets          = aws_subnet.public[*].id
        assign_public_ip = true
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ecs.Service("web", {
        cluster: cluster.arn, taskDefinition: task.arn, launchType: "FARGATE",
        networkConfiguration: { subnets: privateSubnetIds, securityGroups: [sg.id], assignPublicIp: false },
    });

Terraform:

    resource "aws_ecs_service" "web" {
      cluster         = aws_ecs_cluster.main.arn
      task_definition = aws_ecs_task_definition.web.arn
      launch_type     = "FARGATE"
      network_configuration {
        subnets          = aws_subnet.private[*].id
        security_groups  = [aws_security_group.web.id]
        assign_public_ip = false
      }
    }"#,
        fix: "Set `assignPublicIp: false` (Pulumi) or `assign_public_ip = false` (Terraform), move the service to private subnets, and give them a NAT gateway or VPC endpoints (ECR, S3, CloudWatch Logs) so tasks can still pull images. Expose the service through a load balancer.",
        references: &[
            "AWS Security Hub: [ECS.2] ECS services should not have public IP addresses assigned to them automatically — https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html",
            "Amazon ECS Developer Guide: Fargate task networking — https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

const PATH: &str = "networkConfiguration.assignPublicIp";

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if flag(view, PATH)? != Some(true) {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "ECS service `{}` gives its tasks public IP addresses; run them in private subnets",
            view.resource.name
        ))
        .at(at(view, PATH)),
    ))
}
