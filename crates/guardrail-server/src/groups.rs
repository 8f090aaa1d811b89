//! Policy groups: which stacks must run which packs, at which levels, with which config, and
//! how the groups that match one stack resolve into the one policy set it runs.
//!
//! A group names stacks by `ORG/PROJECT/STACK` (or `PROJECT/STACK`) globs and by tags (every
//! tag it lists must match the stack's recorded tags; values may hold `*`), and packs at pinned
//! versions with a level for the whole pack, and levels and config per policy. Every
//! organization has the group `default`, which applies to every stack and names none.
//!
//! Resolution for a stack (deterministic; docs/server.md says the same):
//! 1. the matching groups, `default` first, then by name;
//! 2. each pinned pack version once, in the order the groups (in that order) name them;
//! 3. a pack's level: the stricter of the levels the groups that name it set for it;
//! 4. a policy's level: for each group naming the pack, its level for that policy, else its
//!    level for the pack; the stricter of those wins (`mandatory` > `remediate` > `advisory` >
//!    `disabled`). A group that sets no level leaves the choice to the others; when none sets
//!    one, the pack's own default applies;
//! 5. a policy's config: the groups' config objects merged in group order (a later group's key
//!    wins).

use std::collections::BTreeMap;

use guardrail_core::Enforcement;
use guardrail_run::central::stricter;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::packs::{valid_name, valid_version};

/// The name of every organization's default group.
pub const DEFAULT_GROUP: &str = "default";

/// What a group says, as the API takes and stores it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    /// What the group is for.
    #[serde(default)]
    pub description: String,
    /// `ORG/PROJECT/STACK` or `PROJECT/STACK` globs (`*` within a part); any may match.
    #[serde(default)]
    pub stacks: Vec<String>,
    /// Tags the stack must all have (values may hold `*`).
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// The packs, at pinned versions.
    #[serde(default)]
    pub packs: Vec<PackEntry>,
}

/// A pack of a group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackEntry {
    /// The pack's name in the registry.
    pub name: String,
    /// The pinned version.
    pub version: String,
    /// The level of every policy of the pack that `policies` does not set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Enforcement>,
    /// Levels and config per policy id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub policies: BTreeMap<String, PolicyEntry>,
}

/// A policy's level and config in a group (or in a resolved set).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyEntry {
    /// Its level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Enforcement>,
    /// Its config properties.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub config: Map<String, Value>,
}

/// Checks a group's spec; the error says what is wrong (for a 400 answer).
pub fn check_spec(name: &str, body: &Value) -> Result<GroupSpec, String> {
    let spec: GroupSpec = serde_json::from_value(body.clone())
        .map_err(|e| format!("the group is not valid: {}", crate::plain_json_error(&e)))?;
    if name == DEFAULT_GROUP {
        if !spec.stacks.is_empty() || !spec.tags.is_empty() {
            return Err(
                "the `default` group applies to every stack: leave out `stacks` and `tags`".into(),
            );
        }
    } else if spec.stacks.is_empty() && spec.tags.is_empty() {
        return Err(format!(
            "the group `{name}` names no stack: give `stacks` (`PROJECT/STACK` globs) or `tags` (e.g. {{\"env\": \"prod\"}})"
        ));
    }
    for glob in &spec.stacks {
        if !valid_stack_glob(glob) {
            return Err(format!(
                "the stack glob `{glob}` is not valid: write `ORG/PROJECT/STACK` or `PROJECT/STACK`, each part of letters, digits, `.`, `_`, `-` and `*`"
            ));
        }
    }
    for (key, value) in &spec.tags {
        check_tag(key, value)?;
    }
    let mut seen = std::collections::BTreeSet::new();
    for pack in &spec.packs {
        if !valid_name(&pack.name) || !valid_version(&pack.version) {
            return Err(format!(
                "the pack `{}` version `{}` is not a valid pack name and version",
                pack.name, pack.version
            ));
        }
        if !seen.insert((&pack.name, &pack.version)) {
            return Err(format!(
                "the group names `{}` version `{}` twice",
                pack.name, pack.version
            ));
        }
    }
    if spec.description.len() > 1000 {
        return Err("the description is longer than 1000 characters".into());
    }
    Ok(spec)
}

/// Checks a tag: a key of letters, digits and `. _ - : /`, a value of at most 256 characters
/// without line breaks or `=`.
pub fn check_tag(key: &str, value: &str) -> Result<(), String> {
    let key_ok = (1..=128).contains(&key.len())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':' | '/'));
    if !key_ok {
        return Err(format!(
            "the tag key `{key}` is not valid: use 1 to 128 of letters, digits, `.`, `_`, `-`, `:` and `/`"
        ));
    }
    if value.len() > 256 || value.contains(['\n', '\r', '=']) {
        return Err(format!(
            "the value of the tag `{key}` is not valid: at most 256 characters, no line breaks and no `=`"
        ));
    }
    Ok(())
}

/// Whether a project or stack name is valid: 1 to 100 of letters, digits, `.`, `_` and `-`.
pub fn valid_stack_part(part: &str) -> bool {
    (1..=100).contains(&part.len())
        && part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

fn valid_stack_glob(glob: &str) -> bool {
    let parts: Vec<&str> = glob.split('/').collect();
    (2..=3).contains(&parts.len())
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 100
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '*'))
        })
}

/// `*` matches any run of characters, `?` one.
pub fn glob(pattern: &str, text: &str) -> bool {
    guardrail_core::engine::glob_match(pattern, text)
}

/// Whether a group applies to the stack `org/project/stack` with these tags.
pub fn matches(
    name: &str,
    spec: &GroupSpec,
    [org, project, stack]: [&str; 3],
    tags: &[(String, String)],
) -> bool {
    if name == DEFAULT_GROUP {
        return true;
    }
    let by_name = spec.stacks.is_empty()
        || spec.stacks.iter().any(|g| {
            let parts: Vec<&str> = g.split('/').collect();
            match parts.as_slice() {
                [p, s] => glob(p, project) && glob(s, stack),
                [o, p, s] => glob(o, org) && glob(p, project) && glob(s, stack),
                _ => false,
            }
        });
    let by_tags = spec
        .tags
        .iter()
        .all(|(key, want)| tags.iter().any(|(k, v)| k == key && glob(want, v)));
    by_name && by_tags
}

/// A pack of a stack's resolved policy set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ResolvedPack {
    /// The pack's name.
    pub name: String,
    /// The pinned version.
    pub version: String,
    /// Its content digest (`sha256:…`), filled in from the registry.
    #[serde(default)]
    pub digest: String,
    /// `rego` or `selection`, filled in from the registry.
    #[serde(default)]
    pub kind: String,
    /// Whether the version is deprecated.
    #[serde(default)]
    pub deprecated: bool,
    /// The stricter of the pack levels the groups set.
    #[serde(default)]
    pub level: Option<Enforcement>,
    /// Levels and config per policy id.
    #[serde(default)]
    pub policies: BTreeMap<String, PolicyEntry>,
    /// The groups that require it, in resolution order.
    #[serde(default)]
    pub groups: Vec<String>,
}

/// Resolves the groups that match a stack into its policy set (see the module's rules).
/// `groups` may come in any order; the stored `default` group may be absent (it is empty).
pub fn resolve(
    groups: &[(String, GroupSpec)],
    stack: [&str; 3],
    tags: &[(String, String)],
) -> (Vec<String>, Vec<ResolvedPack>) {
    let mut matching: Vec<&(String, GroupSpec)> = groups
        .iter()
        .filter(|(name, spec)| matches(name, spec, stack, tags))
        .collect();
    matching.sort_by(|(a, _), (b, _)| {
        (a != DEFAULT_GROUP, a.as_str()).cmp(&(b != DEFAULT_GROUP, b.as_str()))
    });
    let mut names: Vec<String> = matching.iter().map(|(n, _)| n.clone()).collect();
    if !names.iter().any(|n| n == DEFAULT_GROUP) {
        names.insert(0, DEFAULT_GROUP.to_owned());
    }
    let mut packs: Vec<ResolvedPack> = Vec::new();
    let mut entries: Vec<Vec<&PackEntry>> = Vec::new();
    for (group, spec) in &matching {
        for entry in &spec.packs {
            let at = match packs
                .iter()
                .position(|p| p.name == entry.name && p.version == entry.version)
            {
                Some(at) => at,
                None => {
                    packs.push(ResolvedPack {
                        name: entry.name.clone(),
                        version: entry.version.clone(),
                        ..ResolvedPack::default()
                    });
                    entries.push(Vec::new());
                    packs.len() - 1
                }
            };
            if let (Some(pack), Some(list)) = (packs.get_mut(at), entries.get_mut(at)) {
                pack.groups.push(group.clone());
                list.push(entry);
            }
        }
    }
    let strictest = |levels: &mut dyn Iterator<Item = Enforcement>| levels.reduce(stricter);
    for (pack, list) in packs.iter_mut().zip(&entries) {
        pack.level = strictest(&mut list.iter().filter_map(|e| e.level));
        let ids: std::collections::BTreeSet<&String> =
            list.iter().flat_map(|e| e.policies.keys()).collect();
        for id in ids {
            let level = strictest(
                &mut list
                    .iter()
                    .filter_map(|e| e.policies.get(id).and_then(|p| p.level).or(e.level)),
            );
            let mut config = Map::new();
            for e in list {
                if let Some(p) = e.policies.get(id) {
                    config.extend(p.config.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
            }
            pack.policies
                .insert(id.clone(), PolicyEntry { level, config });
        }
    }
    (names, packs)
}

/// The pipeline's view of a resolved pack, given where its content is: a Rego pack written to
/// a directory, or a selection's document.
pub fn central_pack(
    pack: &ResolvedPack,
    content: &[u8],
    rego_dir: impl FnOnce(&Map<String, Value>) -> Result<std::path::PathBuf, String>,
) -> Result<guardrail_run::CentralPack, String> {
    let doc: Value = serde_json::from_slice(content)
        .map_err(|e| format!("the pack `{}@{}` is not JSON: {e}", pack.name, pack.version))?;
    let source = match (doc.get("files"), doc.get("selection")) {
        (Some(Value::Object(files)), _) => guardrail_run::CentralSource::Rego(rego_dir(files)?),
        (_, Some(selection)) => {
            let select = selection
                .get("select")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            let levels = selection
                .get("levels")
                .cloned()
                .map(serde_json::from_value)
                .transpose()
                .map_err(|e| format!("the selection `{}`: {e}", pack.name))?
                .unwrap_or_default();
            let config = selection
                .get("config")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            guardrail_run::CentralSource::Selection {
                select,
                levels,
                config,
            }
        }
        _ => {
            return Err(format!(
                "the pack `{}@{}` holds neither files nor a selection",
                pack.name, pack.version
            ))
        }
    };
    Ok(guardrail_run::CentralPack {
        name: pack.name.clone(),
        version: pack.version.clone(),
        digest: pack.digest.clone(),
        source,
        level: pack.level,
        policies: pack
            .policies
            .iter()
            .map(|(id, p)| {
                (
                    id.clone(),
                    guardrail_run::CentralPolicy {
                        level: p.level,
                        config: p.config.clone(),
                    },
                )
            })
            .collect(),
    })
}

/// Writes a Rego pack's files under `dir` (created), refusing paths that leave it.
pub fn write_files(dir: &std::path::Path, files: &Map<String, Value>) -> Result<(), String> {
    for (path, text) in files {
        let relative = std::path::Path::new(path);
        if !relative
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
        {
            return Err(format!("the pack's file path `{path}` leaves the pack"));
        }
        let target = dir.join(relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot write `{}`: {e}", parent.display()))?;
        }
        std::fs::write(&target, text.as_str().unwrap_or_default())
            .map_err(|e| format!("cannot write `{}`: {e}", target.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(v: Value) -> GroupSpec {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn groups_match_by_glob_and_tag() {
        let prod = [("env".to_owned(), "prod".to_owned())];
        let g = spec(json!({"stacks": ["acme/web-*/prod"]}));
        assert!(matches("g", &g, ["acme", "web-eu", "prod"], &[]));
        assert!(!matches("g", &g, ["acme", "web-eu", "dev"], &[]));
        assert!(!matches("g", &g, ["other", "web-eu", "prod"], &[]));
        let g = spec(json!({"stacks": ["*/prod"], "tags": {"env": "pr*"}}));
        assert!(matches("g", &g, ["acme", "app", "prod"], &prod));
        assert!(
            !matches("g", &g, ["acme", "app", "prod"], &[]),
            "tags must all match"
        );
        let g = spec(json!({"tags": {"env": "prod"}}));
        assert!(matches("g", &g, ["acme", "x", "y"], &prod));
        assert!(matches(
            DEFAULT_GROUP,
            &GroupSpec::default(),
            ["a", "b", "c"],
            &[]
        ));
        assert!(check_spec("g", &json!({"packs": []}))
            .unwrap_err()
            .contains("names no stack"));
        assert!(check_spec("default", &json!({"stacks": ["a/b"]})).is_err());
        assert!(check_spec("g", &json!({"stacks": ["a/b/c/d"]}))
            .unwrap_err()
            .contains("`a/b/c/d`"));
        assert!(check_spec(
            "g",
            &json!({"stacks": ["a/b"], "packs": [{"name": "p", "version": "1", "level": "loud"}]})
        )
        .unwrap_err()
        .contains("loud"));
        assert!(check_spec("g", &json!({"stack": ["a/b"]}))
            .unwrap_err()
            .contains("unknown field `stack`"));
    }

    #[test]
    fn the_stricter_level_wins_and_the_order_is_fixed() {
        let groups = vec![
            (
                "z-strict".to_owned(),
                spec(json!({"stacks": ["*/*"], "packs": [
                    {"name": "p", "version": "1", "level": "advisory",
                     "policies": {"B": {"level": "mandatory", "config": {"k": 2}}}}
                ]})),
            ),
            (
                "default".to_owned(),
                spec(json!({"packs": [
                    {"name": "p", "version": "1",
                     "policies": {"A": {"level": "disabled"}, "B": {"level": "advisory", "config": {"k": 1, "j": 1}}}},
                    {"name": "q", "version": "2"}
                ]})),
            ),
            (
                "a-lenient".to_owned(),
                spec(json!({"stacks": ["*/*"], "packs": [
                    {"name": "p", "version": "1", "level": "remediate", "policies": {"A": {"level": "advisory"}}}
                ]})),
            ),
            (
                "nope".to_owned(),
                spec(json!({"stacks": ["x/y"], "packs": [{"name": "r", "version": "1"}]})),
            ),
        ];
        let (names, packs) = resolve(&groups, ["acme", "app", "prod"], &[]);
        assert_eq!(names, ["default", "a-lenient", "z-strict"]);
        assert_eq!(packs.len(), 2);
        let p = &packs[0];
        assert_eq!((p.name.as_str(), p.version.as_str()), ("p", "1"));
        assert_eq!(p.groups, ["default", "a-lenient", "z-strict"]);
        assert_eq!(p.level, Some(Enforcement::Remediate));
        // A: disabled (default), advisory (a-lenient), advisory (z-strict's pack level)
        assert_eq!(p.policies["A"].level, Some(Enforcement::Advisory));
        // B: advisory, remediate (pack level of a-lenient), mandatory
        assert_eq!(p.policies["B"].level, Some(Enforcement::Mandatory));
        assert_eq!(
            p.policies["B"].config,
            json!({"k": 2, "j": 1}).as_object().unwrap().clone()
        );
        assert_eq!(packs[1].name, "q");
        assert_eq!(
            packs[1].level, None,
            "no group set one: the pack's own default"
        );
        // Shuffled input, same answer.
        let mut shuffled = groups.clone();
        shuffled.reverse();
        assert_eq!(resolve(&shuffled, ["acme", "app", "prod"], &[]).1, packs);
    }
}
