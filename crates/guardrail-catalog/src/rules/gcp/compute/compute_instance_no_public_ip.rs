//! GCP-COMPUTE-008: Instances have no external IP address.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-008",
    name: "compute-instance-no-public-ip",
    title: "Instances have no external IP address",
    description: "An access config on a network interface gives the instance an external address that the internet can reach, subject only to firewall rules.",
    severity: Severity::High,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["compute"],
    topics: &["network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["4.9"] },
        Control { framework: "pci-dss", controls: &["1.4.4"] },
        Control { framework: "soc2", controls: &["CC6.6"] },
        Control { framework: "iso27001", controls: &["A.8.20"] },
        Control { framework: "nist-800-53", controls: &["SC-7"] },
    ]),
    resource_types: &["google_compute_instance", "gcp:compute/instance:Instance", "google_compute_instance_template", "gcp:compute/instanceTemplate:InstanceTemplate"],
    remediation: "Remove the `access_config` blocks (Pulumi `accessConfigs`) and reach the internet through Cloud NAT.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Compute Engine instances and instance templates (`google_compute_instance`, `google_compute_instance_template`, Pulumi `gcp:compute/instance:Instance`, `gcp:compute/instanceTemplate:InstanceTemplate`): no network interface (`network_interface`, Pulumi `networkInterfaces`) may have an `access_config` (Pulumi `accessConfigs`) entry, ephemeral or static. Each such interface is one violation; interfaces known only after apply are indeterminate.",
        why: "An external address makes the instance one firewall mistake away from the internet. Private instances with Cloud NAT for outbound traffic and a load balancer or IAP for inbound traffic keep that surface small and reviewed.",
        noncompliant: r#"Terraform:

    resource "google_compute_instance" "web" {
      name         = "web-1"
      machine_type = "e2-medium"
      boot_disk { initialize_params { image = "debian-cloud/debian-12" } }
      network_interface {
        subnetwork = google_compute_subnetwork.app.id
        access_config {}
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_instance" "web" {
      name         = "web-1"
      machine_type = "e2-medium"
      boot_disk { initialize_params { image = "debian-cloud/debian-12" } }
      network_interface {
        subnetwork = google_compute_subnetwork.app.id
      }
    }"#,
        fix: "Delete the `access_config` blocks, add a Cloud NAT gateway for outbound traffic, and put inbound traffic behind a load balancer or Identity-Aware Proxy. Instances that must be public (a bastion you cannot replace) get an exemption with a reason.",
        references: &["Google Cloud: IP addresses — https://cloud.google.com/compute/docs/ip-addresses", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 4.9"],
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
    let mut violations = Vec::new();
    for (path, interface) in support::items_of(view, &["networkInterfaces", "networkInterface"])? {
        let spelling = view.resource.spelling;
        let Some((configs, camel)) = ["accessConfigs", "accessConfig"]
            .iter()
            .map(|camel| (interface.field(camel), *camel))
            .find(|(found, _)| !matches!(found, Ok(None)))
        else {
            continue;
        };
        let configs = configs.map_err(|_| Halt::unknown(support::join(spelling, &path, camel)))?;
        if configs.is_some_and(|c| c.items().next().is_some()) {
            violations.push(
                Violation::new(format!(
                    "{} has an external IP address",
                    support::who(view, noun)
                ))
                .at(support::join(spelling, &path, camel)),
            );
        }
    }
    Ok(Verdict::from_violations(violations))
}
