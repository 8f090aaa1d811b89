//! GCP-COMPUTE-015: Instances do not forward IP packets.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-015",
    name: "compute-instance-ip-forwarding-disabled",
    title: "Instances do not forward IP packets",
    description: "IP forwarding lets an instance send and receive packets for addresses that are not its own, the way a router does.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["compute"],
    topics: &["network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["4.6"] },
        Control { framework: "iso27001", controls: &["A.8.22"] },
        Control { framework: "nist-800-53", controls: &["SC-7", "CM-7"] },
    ]),
    resource_types: &["google_compute_instance", "gcp:compute/instance:Instance", "google_compute_instance_template", "gcp:compute/instanceTemplate:InstanceTemplate"],
    remediation: "Set `can_ip_forward = false` (Pulumi `canIpForward: false`) or leave it unset.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Compute Engine instances and instance templates (`google_compute_instance`, `google_compute_instance_template`, Pulumi `gcp:compute/instance:Instance`, `gcp:compute/instanceTemplate:InstanceTemplate`): `can_ip_forward` (Pulumi `canIpForward`) must be false. Unset means false and passes; a value known only after apply is indeterminate.",
        why: "A forwarding instance can spoof source addresses and route traffic around the network design, which data-loss and segmentation controls rely on. Only deliberate appliances (NAT, firewalls, VPN gateways) need it, and they deserve an exemption with a reason.",
        noncompliant: r#"Terraform:

    resource "google_compute_instance" "web" {
      # ...
      can_ip_forward = true
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_instance" "web" {
      # ...
      can_ip_forward = false
    }"#,
        fix: "Remove `can_ip_forward = true`. Changing it recreates the instance; network appliances that need forwarding get an exemption instead.",
        references: &["Google Cloud: Enable IP forwarding for instances — https://cloud.google.com/vpc/docs/using-routes#canipforward", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 4.6"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let noun = if view.resource.type_.contains("emplate") {
        "instance template"
    } else {
        "instance"
    };
    support::gcp::bool_setting(
        view,
        "canIpForward",
        false,
        false,
        noun,
        "forwards IP packets",
    )
}
