//! GCP-DNS-002: DNSSEC key-signing keys do not use RSASHA1.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-DNS-002",
    name: "dns-key-signing-key-not-rsasha1",
    title: "DNSSEC key-signing keys do not use RSASHA1",
    description: "RSASHA1 relies on SHA-1, whose collision resistance is broken; DNSSEC key-signing keys should use RSASHA256, RSASHA512 or ECDSA.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["dns"],
    topics: &["encryption", "integrity"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["3.4"] },
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "nist-800-53", controls: &["SC-13"] },
    ]),
    resource_types: &["google_dns_managed_zone", "gcp:dns/managedZone:ManagedZone"],
    remediation: "Use `algorithm = \"rsasha256\"` (or `ecdsap256sha256`) in the `keySigning` default key spec.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud DNS managed zones: no entry of `dnssec_config.default_key_specs` (Pulumi `dnssecConfig.defaultKeySpecs`) with `key_type` `keySigning` may use `algorithm` `rsasha1`. Each is one violation; zones without key specs pass (Cloud DNS defaults to RSASHA256); values known only after apply are indeterminate.",
        why: "Signatures made with SHA-1 can be forged with practical effort, and validating resolvers are dropping support for it; a zone signed with it may be treated as insecure or fail validation.",
        noncompliant: r#"Terraform:

    dnssec_config {
      state = "on"
      default_key_specs {
        algorithm  = "rsasha1"
        key_type   = "keySigning"
        key_length = 2048
      }
    }"#,
        compliant: r#"Terraform:

    dnssec_config {
      state = "on"
      default_key_specs {
        algorithm  = "rsasha256"
        key_type   = "keySigning"
        key_length = 2048
      }
    }"#,
        fix: "Change the algorithm to `rsasha256` or `ecdsap256sha256`. Changing algorithms needs DNSSEC turned off and on again (and the DS record updated); plan the rollover. No automatic fix.",
        references: &["Google Cloud: Advanced DNSSEC signing options — https://cloud.google.com/dns/docs/dnssec-advanced", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 3.4"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let spelling = view.resource.spelling;
    let mut violations = Vec::new();
    for (path, spec) in support::items_of(view, &["dnssecConfig.defaultKeySpecs"])? {
        let kind_path = support::join(spelling, &path, "keyType");
        let kind = spec
            .field("keyType")
            .map_err(|_| Halt::unknown(kind_path))?
            .and_then(Value::as_str);
        if !kind.is_some_and(|k| k.eq_ignore_ascii_case("keySigning")) {
            continue;
        }
        let algorithm_path = support::join(spelling, &path, "algorithm");
        let algorithm = spec
            .field("algorithm")
            .map_err(|_| Halt::unknown(algorithm_path.clone()))?
            .and_then(Value::as_str);
        if algorithm.is_some_and(|a| a.trim().eq_ignore_ascii_case("rsasha1")) {
            violations.push(
                Violation::new(format!(
                    "{} signs with a key-signing key using RSASHA1",
                    support::who(view, "Cloud DNS zone")
                ))
                .at(algorithm_path),
            );
        }
    }
    Ok(Verdict::from_violations(violations))
}
