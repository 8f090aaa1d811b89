//! Pulumi's policy-pack configuration file, accepted as it is (`--policy-config FILE`):
//!
//! ```json
//! {"all": "mandatory", "policy-name": {"enforcementLevel": "advisory", "someProperty": 1}, "other": "disabled"}
//! ```
//!
//! `all` sets every policy's level; a policy entry is either a level, or an object with an
//! optional `enforcementLevel` and configuration properties. Policies are named by id or name.

use std::path::Path;
use std::str::FromStr;

use guardrail_core::engine::PolicyOverride;
use guardrail_core::{Enforcement, PolicySettings};

use crate::Error;

fn level(file: &Path, key: &str, value: &serde_json::Value) -> Result<Enforcement, Error> {
    let text = value.as_str().unwrap_or_default();
    Enforcement::from_str(text).map_err(|_| {
        Error::config(format!(
            "{}: `{key}` has the enforcement level `{value}`",
            file.display()
        ))
        .help("use one of advisory, mandatory, remediate, disabled")
    })
}

/// Parses the file's text into settings. `known` tells whether a key names a policy.
pub fn parse(
    file: &Path,
    text: &str,
    known: &dyn Fn(&str) -> bool,
) -> Result<PolicySettings, Error> {
    let json: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| {
            Error::config(format!(
                "{}:{}:{}: not valid JSON: {e}",
                file.display(),
                e.line(),
                e.column()
            ))
            .help("the policy config is a JSON object: {\"all\": \"mandatory\", \"policy-name\": {\"enforcementLevel\": \"advisory\"}}")
        })?;
    let serde_json::Value::Object(map) = json else {
        return Err(Error::config(format!(
            "{}: the policy config must be a JSON object",
            file.display()
        ))
        .help(
            "write {\"all\": \"mandatory\", \"policy-name\": {\"enforcementLevel\": \"advisory\"}}",
        ));
    };
    let mut settings = PolicySettings::default();
    for (key, value) in map {
        if key == "all" {
            settings.all = Some(level(file, &key, &value)?);
            continue;
        }
        if !known(&key) {
            return Err(Error::config(format!(
                "{}: `{key}` names no policy that runs",
                file.display()
            ))
            .help("name policies by id or name; `guardrail rules` lists them"));
        }
        let over = match value {
            serde_json::Value::String(_) => PolicyOverride {
                enforcement: Some(level(file, &key, &value)?),
                config: serde_json::Map::new(),
            },
            serde_json::Value::Object(mut props) => {
                let enforcement = match props.remove("enforcementLevel") {
                    Some(v) => Some(level(file, &format!("{key}.enforcementLevel"), &v)?),
                    None => None,
                };
                PolicyOverride {
                    enforcement,
                    config: props,
                }
            }
            other => return Err(Error::config(format!(
                "{}: `{key}` must be an enforcement level or an object, found `{other}`",
                file.display()
            ))
            .help(
                "write \"advisory\" or {\"enforcementLevel\": \"advisory\", \"property\": value}",
            )),
        };
        settings.policies.insert(key, over);
    }
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pulumi_policy_pack_config() {
        let text = r#"{"all": "advisory", "p1": {"enforcementLevel": "mandatory", "limit": "2Gi"}, "p2": "disabled"}"#;
        let s = parse(Path::new("c.json"), text, &|k| k.starts_with('p')).unwrap();
        assert_eq!(s.all, Some(Enforcement::Advisory));
        assert_eq!(s.policies["p1"].enforcement, Some(Enforcement::Mandatory));
        assert_eq!(s.policies["p1"].config["limit"], "2Gi");
        assert_eq!(s.policies["p2"].enforcement, Some(Enforcement::Disabled));
    }

    #[test]
    fn errors_name_the_file_and_the_key() {
        let e = parse(Path::new("c.json"), r#"{"all": "sometimes"}"#, &|_| true).unwrap_err();
        assert!(
            e.message.contains("c.json") && e.message.contains("sometimes"),
            "{}",
            e.message
        );
        let e = parse(Path::new("c.json"), r#"{"nope": "advisory"}"#, &|_| false).unwrap_err();
        assert!(e.message.contains("`nope`"));
        let e = parse(Path::new("c.json"), "{\n  \"all\": ", &|_| true).unwrap_err();
        assert!(e.message.starts_with("c.json:2:"), "{}", e.message);
        let e = parse(Path::new("c.json"), "[]", &|_| true).unwrap_err();
        assert!(e.message.contains("object"));
    }
}
