//! AWS-VPC-002: flow logs capture rejected traffic.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read, with};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-VPC-002",
    name: "vpc-flow-log-captures-rejected",
    title: "Flow logs capture rejected traffic",
    description: "A flow log that records only accepted traffic misses the scans, probes and \
                  blocked exfiltration attempts that security monitoring looks for.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["vpc"],
    topics: &["logging", "network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-aws", controls: &["3.7"] },
        Control { framework: "nist-800-53", controls: &["AU-12", "SI-4"] },
    ]),
    resource_types: &["aws_flow_log", "aws:ec2/flowLog:FlowLog"],
    remediation: "Set `traffic_type` to `ALL` (or `REJECT`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_flow_log` (Pulumi `aws:ec2/flowLog:FlowLog`): `traffic_type` (Pulumi \
               `trafficType`) `ACCEPT` is a violation; `ALL` and `REJECT` pass, as does no \
               value (transit gateway flow logs take none and record everything). A value \
               known only after apply is indeterminate.",
        why: "Rejected connections are the signal: port scans against your addresses, \
              instances trying to reach addresses they should not, security group changes \
              that broke something. The CIS AWS Foundations Benchmark asks for flow logs that \
              record at least rejected traffic.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ec2.FlowLog("main", { vpcId: vpc.id, trafficType: "ACCEPT", logDestination: bucket.arn, logDestinationType: "s3" });

Terraform:

    resource "aws_flow_log" "main" {
      vpc_id               = aws_vpc.main.id
      traffic_type         = "ACCEPT"
      log_destination_type = "s3"
      log_destination      = aws_s3_bucket.flow.arn
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ec2.FlowLog("main", { vpcId: vpc.id, trafficType: "ALL", logDestination: bucket.arn, logDestinationType: "s3" });

Terraform:

    resource "aws_flow_log" "main" {
      vpc_id               = aws_vpc.main.id
      traffic_type         = "ALL"
      log_destination_type = "s3"
      log_destination      = aws_s3_bucket.flow.arn
    }"#,
        fix: "Set `traffic_type = \"ALL\"` (Pulumi `trafficType: \"ALL\"`); under `remediate` \
              guardrail does so. The change replaces the flow log and increases log volume.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 3.7 Ensure VPC flow logging is enabled in all VPCs",
            "AWS: Flow log records — https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

fn accept_only(view: ResourceView<'_>) -> Result<bool, Halt> {
    Ok(read(view, "trafficType")?
        .and_then(Value::as_str)
        .is_some_and(|t| t.eq_ignore_ascii_case("ACCEPT")))
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if !accept_only(view)? {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "flow log `{}` records only accepted traffic",
            view.resource.name
        ))
        .at(at(view, "trafficType")),
    ))
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if !accept_only(view)? {
        return Ok(None);
    }
    Ok(Some(with(view, "trafficType", Value::string("ALL"))))
}
