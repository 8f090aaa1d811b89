//! AWS-VPC-007: routes to VPC peering connections are narrow.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::is_world_cidr;
use crate::support::{canonical, items_of, join, read_in, text_in};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-VPC-007",
    name: "vpc-peering-route-least-access",
    title: "Routes to VPC peering connections are narrow",
    description: "A default route (0.0.0.0/0 or ::/0) to a peering connection sends all \
                  traffic to the peer VPC instead of only the peer's address range.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["vpc"],
    topics: &["network", "least-privilege"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-aws", controls: &["5.5"] },
        Control { framework: "iso27001", controls: &["A.8.22"] },
        Control { framework: "nist-800-53", controls: &["SC-7", "AC-4"] },
    ]),
    resource_types: &[
        "aws_route",
        "aws:ec2/route:Route",
        "aws_route_table",
        "aws:ec2/routeTable:RouteTable",
    ],
    remediation: "Route only the peer VPC's CIDR blocks (or the subnets needed) to the peering \
                  connection.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "`aws_route` (Pulumi `aws:ec2/route:Route`) and the inline `route` blocks of \
               `aws_route_table` (Pulumi `aws:ec2/routeTable:RouteTable`, `routes[]`): a route \
               with a `vpc_peering_connection_id` and a destination of prefix length 0 \
               (`destination_cidr_block`/`cidr_block` `0.0.0.0/0`, or the IPv6 counterparts \
               `::/0`) is a violation. Routes to other targets are not checked. Values known \
               only after apply are indeterminate.",
        why: "Peering connections are meant to reach a known network. Sending the default \
              route through one gives the peer — possibly another team's or another company's \
              account — sight of all outbound traffic, and makes any address the peer routes \
              reachable. CIS asks for peering routes to be least access.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ec2.Route("to-peer", {
        routeTableId: rt.id, destinationCidrBlock: "0.0.0.0/0", vpcPeeringConnectionId: peer.id,
    });

Terraform:

    resource "aws_route" "to_peer" {
      route_table_id            = aws_route_table.private.id
      destination_cidr_block    = "0.0.0.0/0"
      vpc_peering_connection_id = aws_vpc_peering_connection.shared.id
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ec2.Route("to-peer", {
        routeTableId: rt.id, destinationCidrBlock: "10.20.0.0/16", vpcPeeringConnectionId: peer.id,
    });

Terraform:

    resource "aws_route" "to_peer" {
      route_table_id            = aws_route_table.private.id
      destination_cidr_block    = "10.20.0.0/16"
      vpc_peering_connection_id = aws_vpc_peering_connection.shared.id
    }"#,
        fix: "Set the destination (`destination_cidr_block`, Pulumi `destinationCidrBlock`; \
              `cidr_block` in route table blocks) to the peer VPC's CIDR or the specific \
              subnets needed, and send the default route to an internet or NAT gateway.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 5.5 Ensure routing tables for VPC peering are \"least access\"",
            "AWS: Update your route tables for a VPC peering connection — https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let spelling = view.resource.spelling;
    let (routes, keys): (Vec<(String, &Value)>, &[&str]) = if canonical(&view) == "aws_route" {
        (
            vec![(String::new(), view.props)],
            &["destinationCidrBlock", "destinationIpv6CidrBlock"],
        )
    } else {
        (
            items_of(view, &["routes", "route"])?,
            &["cidrBlock", "ipv6CidrBlock"],
        )
    };
    let mut violations = Vec::new();
    for (base, route) in routes {
        if text_in(route, spelling, &base, "vpcPeeringConnectionId")?.is_none() {
            continue;
        }
        for key in keys {
            let Some(dest) = read_in(route, spelling, &base, key)?.and_then(Value::as_str) else {
                continue;
            };
            if is_world_cidr(dest) {
                violations.push(
                    Violation::new(format!(
                        "`{}` routes {dest} to a VPC peering connection",
                        view.resource.name
                    ))
                    .at(join(spelling, &base, key)),
                );
            }
        }
    }
    Ok(Verdict::from_violations(violations))
}
