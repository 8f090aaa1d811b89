//! Inline exemptions: tags (or labels, or annotations) on the resource itself.
//!
//! The compact form, one tag (documented in `docs/config.md`):
//!
//! ```text
//! guardrail:exempt = "AWS-S3-001,AWS-S3-006; reason=public website; expires=2027-01-31; approved_by=alice; ticket=SEC-12"
//! ```
//!
//! The portable form, for providers whose tag values forbid `,` and `;` (AWS's strictest
//! services allow only letters, digits, spaces and `+ - = . _ : / @`):
//!
//! ```text
//! guardrail:exempt          = "AWS-S3-001 AWS-S3-006"
//! guardrail:exempt-reason   = "public website"
//! guardrail:exempt-expires  = "2027-01-31"
//! guardrail:exempt-approved-by = "alice"
//! guardrail:exempt-ticket   = "SEC-12"
//! ```
//!
//! Keys may also be spelled `guardrail-exempt...` (GCP labels allow no `:`); policies are
//! matched by id or name ignoring case. Tags are read from `tags`, `labels` and
//! `metadata.annotations`, the same way in Pulumi and Terraform inputs.

use guardrail_core::{Exemption, Stack, Value};

use crate::config::is_date;
use crate::Error;

/// The tag key of an inline exemption.
pub const KEY: &str = "guardrail:exempt";

/// Where tags live on a resource.
const TAG_MAPS: [&str; 3] = ["tags", "labels", "metadata.annotations"];

/// The suffix of a `guardrail:exempt...` / `guardrail-exempt...` key: `""` for the main key.
fn suffix(key: &str) -> Option<String> {
    let lower = key.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("guardrail:exempt")
        .or_else(|| lower.strip_prefix("guardrail-exempt"))?;
    if rest.is_empty() {
        return Some(String::new());
    }
    let rest = rest.strip_prefix(['-', '_', ':', '.'])?;
    Some(rest.replace('-', "_"))
}

#[derive(Default)]
struct Found {
    policies: Option<String>,
    fields: Vec<(String, String)>,
}

fn collect(props: &Value, found: &mut Found) {
    for map_path in TAG_MAPS {
        let Ok(Some(map)) = props.field(map_path) else {
            continue;
        };
        let Some(map) = map.as_object() else {
            continue;
        };
        for (key, value) in map.iter() {
            let (Some(suffix), Some(text)) = (suffix(key), value.as_str()) else {
                continue;
            };
            if suffix.is_empty() {
                let mut parts = text.split(';');
                found.policies = parts.next().map(str::to_string);
                for part in parts {
                    match part.split_once('=') {
                        Some((k, v)) => found
                            .fields
                            .push((k.trim().replace('-', "_"), v.trim().to_string())),
                        None if part.trim().is_empty() => {}
                        None => found.fields.push((part.trim().to_string(), String::new())),
                    }
                }
            } else {
                found.fields.push((suffix, text.trim().to_string()));
            }
        }
    }
}

/// The inline exemptions of a stack's resources. `canonical` maps a policy named in a tag
/// (any case) to its id; unknown names are errors.
pub fn exemptions(
    stack: &Stack,
    canonical: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<Exemption>, Error> {
    let mut out = Vec::new();
    for res in &stack.resources {
        let mut found = Found::default();
        collect(&res.props, &mut found);
        if found.policies.is_none() && found.fields.is_empty() {
            continue;
        }
        let place = match res.line {
            Some(l) => format!("{}:{l}", stack.source),
            None => stack.source.clone(),
        };
        let fail = |message: String, help: &str| {
            Err(Error::config(format!("{place}: `{}`: {message}", res.id)).help(help.to_string()))
        };
        let Some(list) = found.policies else {
            return fail(
                format!(
                    "the resource has exemption details but no `{KEY}` tag naming the policies"
                ),
                "add the tag guardrail:exempt = \"POLICY-ID ...\"",
            );
        };
        let mut policies = Vec::new();
        for name in list
            .split([',', ' ', '+', '/'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            match canonical(name) {
                Some(id) => policies.push(id),
                None => {
                    return fail(
                        format!("the `{KEY}` tag names `{name}`, which is no policy"),
                        "name policies by id or name; `guardrail rules` lists them",
                    )
                }
            }
        }
        if policies.is_empty() {
            return fail(
                format!("the `{KEY}` tag names no policy"),
                "write guardrail:exempt = \"AWS-S3-001; reason=...\"",
            );
        }
        let mut exemption = Exemption {
            policies,
            resources: vec![res.id.clone()],
            ..Exemption::default()
        };
        for (k, v) in found.fields {
            match k.as_str() {
                "reason" => exemption.reason = v,
                "expires" => {
                    if !is_date(&v) {
                        return fail(
                            format!("the exemption's expiry `{v}` is not a date"),
                            "write the last day it applies as YYYY-MM-DD",
                        );
                    }
                    exemption.expires = Some(v);
                }
                "approved_by" | "approver" => exemption.approved_by = Some(v),
                "ticket" => exemption.ticket = Some(v),
                other => {
                    return fail(
                        format!("the exemption has the unknown field `{other}`"),
                        "use reason, expires, approved_by and ticket",
                    )
                }
            }
        }
        if exemption.reason.trim().is_empty() {
            return fail(
                "the inline exemption gives no reason".into(),
                "add `; reason=...` to the guardrail:exempt tag, or a guardrail:exempt-reason tag",
            );
        }
        out.push(exemption);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use guardrail_core::{Resource, Spelling};

    fn stack(tags: serde_json::Value) -> Stack {
        let props = Value::from_json(serde_json::json!({ "tags": tags }));
        Stack {
            source: "plan.json".into(),
            resources: vec![Resource::new(
                "aws_s3_bucket.site",
                "aws_s3_bucket",
                Spelling::Terraform,
                props,
            )],
            ..Stack::default()
        }
    }

    fn canon(name: &str) -> Option<String> {
        ["AWS-S3-001", "AWS-S3-006"]
            .iter()
            .find(|id| id.eq_ignore_ascii_case(name))
            .map(|id| (*id).to_string())
    }

    #[test]
    fn compact_and_portable_forms() {
        let compact = stack(serde_json::json!({
            "guardrail:exempt": "AWS-S3-001,aws-s3-006; reason=public site; expires=2027-01-31; approved_by=alice; ticket=SEC-1"
        }));
        let e = exemptions(&compact, &canon).unwrap();
        assert_eq!(e[0].policies, vec!["AWS-S3-001", "AWS-S3-006"]);
        assert_eq!(e[0].resources, vec!["aws_s3_bucket.site"]);
        assert_eq!(e[0].reason, "public site");
        assert_eq!(e[0].expires.as_deref(), Some("2027-01-31"));
        assert_eq!(e[0].approved_by.as_deref(), Some("alice"));
        assert_eq!(e[0].ticket.as_deref(), Some("SEC-1"));

        let portable = stack(serde_json::json!({
            "guardrail:exempt": "AWS-S3-001 AWS-S3-006",
            "guardrail:exempt-reason": "public site",
            "guardrail-exempt-expires": "2027-01-31",
            "guardrail:exempt-approved-by": "alice",
            "Team": "web"
        }));
        let p = exemptions(&portable, &canon).unwrap();
        assert_eq!(p[0].policies, e[0].policies);
        assert_eq!(p[0].reason, "public site");
        assert_eq!(p[0].approved_by.as_deref(), Some("alice"));
    }

    #[test]
    fn mistakes_are_errors_naming_the_resource() {
        for (tags, want) in [
            (
                serde_json::json!({"guardrail:exempt": "AWS-S3-001"}),
                "no reason",
            ),
            (
                serde_json::json!({"guardrail:exempt": "AWS-S3-999; reason=x"}),
                "`AWS-S3-999`",
            ),
            (
                serde_json::json!({"guardrail:exempt": "AWS-S3-001; reason=x; expires=soon"}),
                "`soon`",
            ),
            (
                serde_json::json!({"guardrail:exempt-reason": "x"}),
                "no `guardrail:exempt` tag",
            ),
            (
                serde_json::json!({"guardrail:exempt": "AWS-S3-001; reason=x; until=2027-01-01"}),
                "`until`",
            ),
        ] {
            let e = exemptions(&stack(tags), &canon).unwrap_err();
            assert!(
                e.message.contains("aws_s3_bucket.site") && e.message.contains(want),
                "{}",
                e.message
            );
        }
        assert!(exemptions(&stack(serde_json::json!({"Team": "x"})), &canon)
            .unwrap()
            .is_empty());
    }
}
