//! GCP-IAM-008: API keys are restricted to the applications that use them.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-IAM-008",
    name: "iam-api-key-application-restrictions",
    title: "API keys are restricted to the applications that use them",
    description: "An API key without application restrictions works from any website, server or app that obtains it.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["iam"],
    topics: &["identity"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["1.13"] },
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "nist-800-53", controls: &["IA-5", "AC-3"] },
    ]),
    resource_types: &["google_apikeys_key", "gcp:projects/apiKey:ApiKey"],
    remediation: "Add browser, server, Android or iOS key restrictions to `restrictions`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "API keys (`google_apikeys_key`, Pulumi `gcp:projects/apiKey:ApiKey`): `restrictions` must contain `browser_key_restrictions`, `server_key_restrictions`, `android_key_restrictions` or `ios_key_restrictions`. A key without any is a violation; values known only after apply are indeterminate.",
        why: "API keys are embedded in web pages and apps and are easy to copy. Restricting them to referrers, addresses or app signatures keeps a copied key from being used elsewhere at your expense.",
        noncompliant: r#"Terraform:

    resource "google_apikeys_key" "maps" {
      name = "maps-web"
    }"#,
        compliant: r#"Terraform:

    resource "google_apikeys_key" "maps" {
      name = "maps-web"
      restrictions {
        browser_key_restrictions {
          allowed_referrers = ["https://www.acme.example/*"]
        }
        api_targets {
          service = "maps-backend.googleapis.com"
        }
      }
    }"#,
        fix: "Add the restriction that matches where the key is used (referrers for web pages, IP addresses for servers, package and certificate for apps).",
        references: &["Google Cloud: Manage API keys, add restrictions — https://cloud.google.com/docs/authentication/api-keys#api_key_restrictions", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 1.13"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    for camel in [
        "restrictions.browserKeyRestrictions",
        "restrictions.serverKeyRestrictions",
        "restrictions.androidKeyRestrictions",
        "restrictions.iosKeyRestrictions",
    ] {
        if support::read(view, camel)?.is_some_and(|b| b.items().next().is_some()) {
            return Ok(Verdict::Pass);
        }
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} can be used from any application",
            support::who(view, "API key")
        ))
        .at(support::at(view, "restrictions")),
    ))
}
