//! AWS-CLOUDFRONT-001: CloudFront serves viewers over HTTPS only.

use guardrail_core::{
    Enforcement, FixSafety, Halt, Map, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{cache_behaviours, join, read_in, CLOUDFRONT_TYPES};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-CLOUDFRONT-001",
    name: "cloudfront-viewer-https-only",
    title: "CloudFront serves viewers over HTTPS only",
    description: "A cache behaviour with viewer protocol policy `allow-all` serves content and \
                  accepts requests over plain HTTP.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["cloudfront"],
    topics: &["tls", "encryption"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["4.2.1"] },
        Control { framework: "soc2", controls: &["CC6.7"] },
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "hipaa", controls: &["164.312(e)(1)"] },
        Control { framework: "nist-800-53", controls: &["SC-8"] },
    ]),
    resource_types: CLOUDFRONT_TYPES,
    remediation: "Set `viewer_protocol_policy` to `redirect-to-https` (or `https-only`) on every \
                  cache behaviour.",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "The `default_cache_behavior` and every `ordered_cache_behavior` of an \
               `aws_cloudfront_distribution` (Pulumi `aws:cloudfront/distribution:Distribution`, \
               `defaultCacheBehavior` and `orderedCacheBehaviors[]`): `viewer_protocol_policy` \
               (Pulumi `viewerProtocolPolicy`) `allow-all` is a violation, one per behaviour; \
               `redirect-to-https` and `https-only` pass. A value known only after apply is \
               indeterminate.",
        why: "Over plain HTTP, anyone on the path — public Wi-Fi, a compromised router, an ISP \
              injecting ads — can read and alter what users receive, including scripts that \
              then run with the site's privileges, and can steal cookies. A redirect costs one \
              round trip and keeps old `http://` links working.",
        noncompliant: r#"Pulumi (TypeScript):

    defaultCacheBehavior: { targetOriginId: "web", viewerProtocolPolicy: "allow-all", ... },

Terraform:

    default_cache_behavior {
      target_origin_id       = "web"
      viewer_protocol_policy = "allow-all"
      ...
    }"#,
        compliant: r#"Pulumi (TypeScript):

    defaultCacheBehavior: { targetOriginId: "web", viewerProtocolPolicy: "redirect-to-https", ... },

Terraform:

    default_cache_behavior {
      target_origin_id       = "web"
      viewer_protocol_policy = "redirect-to-https"
      ...
    }"#,
        fix: "Set `viewer_protocol_policy = \"redirect-to-https\"` (Pulumi `viewerProtocolPolicy: \
              \"redirect-to-https\"`) on each behaviour, or `https-only` for APIs; under \
              `remediate` guardrail sets `redirect-to-https`.",
        references: &[
            "AWS: Require HTTPS for communication between viewers and CloudFront — https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html",
            "AWS Security Hub: [CloudFront.3] CloudFront distributions should require encryption in transit",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

/// Paths of behaviours that allow plain HTTP.
fn plain(view: ResourceView<'_>) -> Result<Vec<String>, Halt> {
    let spelling = view.resource.spelling;
    let mut out = Vec::new();
    for (path, behaviour) in cache_behaviours(view)? {
        let policy =
            read_in(behaviour, spelling, &path, "viewerProtocolPolicy")?.and_then(Value::as_str);
        if policy.is_some_and(|p| p.eq_ignore_ascii_case("allow-all")) {
            out.push(join(spelling, &path, "viewerProtocolPolicy"));
        }
    }
    Ok(out)
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    Ok(Verdict::from_violations(
        plain(view)?
            .into_iter()
            .map(|path| {
                Violation::new(format!(
                    "distribution `{}` serves viewers over plain HTTP (`allow-all` at {path})",
                    view.resource.name
                ))
                .at(path)
            })
            .collect(),
    ))
}

/// Sets every `allow-all` policy to `redirect-to-https`.
fn redirect_all(value: &mut Value) {
    match value {
        Value::Object(map) => redirect_map(map),
        Value::Array(items) => items.iter_mut().for_each(redirect_all),
        Value::Secret(inner) => redirect_all(inner),
        _ => {}
    }
}

fn redirect_map(map: &mut Map) {
    for (key, value) in map.iter_mut() {
        let folded: String = key
            .chars()
            .filter(|c| *c != '_')
            .collect::<String>()
            .to_ascii_lowercase();
        if folded == "viewerprotocolpolicy" {
            if value
                .as_str()
                .is_some_and(|p| p.eq_ignore_ascii_case("allow-all"))
            {
                *value = Value::string("redirect-to-https");
            }
        } else {
            redirect_all(value);
        }
    }
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if plain(view)?.is_empty() {
        return Ok(None);
    }
    let mut props = view.props.clone();
    if let Value::Object(map) = &mut props {
        for (key, value) in map.iter_mut() {
            let folded: String = key
                .chars()
                .filter(|c| *c != '_')
                .collect::<String>()
                .to_ascii_lowercase();
            if folded == "defaultcachebehavior" || folded.starts_with("orderedcachebehavior") {
                redirect_all(value);
            }
        }
    }
    Ok(Some(props))
}
