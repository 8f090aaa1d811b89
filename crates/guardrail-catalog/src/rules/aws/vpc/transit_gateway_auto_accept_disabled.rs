//! AWS-VPC-006: transit gateways do not accept shared attachments automatically.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read, with};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-VPC-006",
    name: "transit-gateway-auto-accept-disabled",
    title: "Transit gateways do not accept shared attachments automatically",
    description: "With auto-accept on, any account the transit gateway is shared with can \
                  attach its VPCs to your network without review.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["vpc"],
    topics: &["network", "least-privilege"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["1.2.1"] },
        Control { framework: "iso27001", controls: &["A.8.20"] },
        Control { framework: "nist-800-53", controls: &["SC-7", "CA-3"] },
    ]),
    resource_types: &[
        "aws_ec2_transit_gateway",
        "aws:ec2transitgateway/transitGateway:TransitGateway",
    ],
    remediation: "Set `auto_accept_shared_attachments = \"disable\"`.",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_ec2_transit_gateway` (Pulumi \
               `aws:ec2transitgateway/transitGateway:TransitGateway`): \
               `auto_accept_shared_attachments` (Pulumi `autoAcceptSharedAttachments`) set to \
               `enable` is a violation; `disable` or not set (default `disable`) passes. A \
               value known only after apply is indeterminate.",
        why: "A transit gateway joins networks. Accepting attachment requests automatically \
              means that a compromised or careless account in the sharing scope can connect \
              an arbitrary VPC to your production routing domain; explicit acceptance keeps a \
              human or a pipeline in the loop.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ec2transitgateway.TransitGateway("core", { autoAcceptSharedAttachments: "enable" });

Terraform:

    resource "aws_ec2_transit_gateway" "core" {
      auto_accept_shared_attachments = "enable"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ec2transitgateway.TransitGateway("core", { autoAcceptSharedAttachments: "disable" });

Terraform:

    resource "aws_ec2_transit_gateway" "core" {
      auto_accept_shared_attachments = "disable"
    }"#,
        fix: "Set `auto_accept_shared_attachments = \"disable\"` (Pulumi \
              `autoAcceptSharedAttachments: \"disable\"`) and accept attachments with \
              `aws_ec2_transit_gateway_vpc_attachment_accepter`. Under `remediate` guardrail \
              sets it; existing attachments are unaffected.",
        references: &[
            "AWS: Transit gateways — https://docs.aws.amazon.com/vpc/latest/tgw/tgw-transit-gateways.html",
            "AWS Security Hub: [EC2.23] Amazon EC2 Transit Gateways should not automatically accept VPC attachment requests",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

fn auto(view: ResourceView<'_>) -> Result<bool, Halt> {
    Ok(read(view, "autoAcceptSharedAttachments")?
        .and_then(Value::as_str)
        .is_some_and(|s| s.eq_ignore_ascii_case("enable")))
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if !auto(view)? {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "transit gateway `{}` accepts shared attachments automatically",
            view.resource.name
        ))
        .at(at(view, "autoAcceptSharedAttachments")),
    ))
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if !auto(view)? {
        return Ok(None);
    }
    Ok(Some(with(
        view,
        "autoAcceptSharedAttachments",
        Value::string("disable"),
    )))
}
