//! Central policy: the packs a policy service's groups require for the run's stack, and the
//! rule that they win over local settings (DESIGN.md, "Central policy wins").
//!
//! A front door (the command line with `--server`, the service's own evaluations) resolves the
//! stack's groups into a [`Central`] and passes it in [`crate::RunOptions::central`]. The
//! pipeline then:
//! - runs the required packs beside the local ones, first, and leaves out a local policy of the
//!   same id (the required one runs in its place);
//! - gives each required policy the stricter of the service's level and the local one: local
//!   config and flags may raise a level, never lower or disable it;
//! - gives it the service's config, not the local one;
//! - applies only exemptions the service grants to it (a local exemption covers local policies
//!   only), and lets the local gate (`--fail-on`, a severity floor, a baseline) not let its
//!   blocking findings through;
//! - warns about every local setting it overrode.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use guardrail_core::engine::glob_match;
use guardrail_core::{Enforcement, Exemption, Pack, PolicySettings};
use guardrail_rego::Preloader;

use crate::{select, Error, Observer, RegoOptions};

/// The packs a policy service requires for one stack.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Central {
    /// The required packs, in the service's order.
    pub packs: Vec<CentralPack>,
    /// The exemptions the service grants for the stack (approved, or break-glass): applied
    /// like config exemptions, and, unlike local ones, to required policies too (each is
    /// marked [`Exemption::central`]).
    pub exemptions: Vec<Exemption>,
}

/// One required pack at a pinned version, with the levels and config the groups set.
#[derive(Clone, Debug, PartialEq)]
pub struct CentralPack {
    /// The pack's name in the registry.
    pub name: String,
    /// The pinned version.
    pub version: String,
    /// Its content digest (`sha256:…`), as verified by whoever fetched it.
    pub digest: String,
    /// What it holds.
    pub source: CentralSource,
    /// The level the groups set for the whole pack (the stricter one wins across groups).
    pub level: Option<Enforcement>,
    /// Levels and config the groups set per policy id.
    pub policies: BTreeMap<String, CentralPolicy>,
}

/// The content of a required pack.
#[derive(Clone, Debug, PartialEq)]
pub enum CentralSource {
    /// A Rego pack, written out to this directory.
    Rego(PathBuf),
    /// A selection of built-in policies with their own levels and config.
    Selection {
        /// Selectors (`AWS-S3`, `framework=pci-dss`, ...).
        select: Vec<String>,
        /// The selection's levels by policy id (the pack's own defaults).
        levels: BTreeMap<String, Enforcement>,
        /// The selection's config by policy id.
        config: serde_json::Map<String, serde_json::Value>,
    },
}

/// What the groups set for one policy of a required pack.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CentralPolicy {
    /// The level (the stricter one wins across groups).
    pub level: Option<Enforcement>,
    /// Config properties, laid over the pack's own.
    pub config: serde_json::Map<String, serde_json::Value>,
}

/// How strict a level is: `mandatory` > `remediate` > `advisory` > `disabled`. Remediate ranks
/// below mandatory because it lets a change through once its fix holds.
pub fn strictness(level: Enforcement) -> u8 {
    match level {
        Enforcement::Disabled => 0,
        Enforcement::Advisory => 1,
        Enforcement::Remediate => 2,
        Enforcement::Mandatory => 3,
    }
}

/// The stricter of two levels.
pub fn stricter(a: Enforcement, b: Enforcement) -> Enforcement {
    if strictness(b) > strictness(a) {
        b
    } else {
        a
    }
}

/// A required pack as loaded: the engine's pack, and the config each of its policies gets.
pub(crate) struct Loaded {
    pub packs: Vec<Pack>,
    pub documents: Vec<Arc<Preloader>>,
    /// Per policy id: the service's level (before local raising) and config.
    levels: HashMap<String, Enforcement>,
    config: HashMap<String, serde_json::Map<String, serde_json::Value>>,
}

/// Loads the required packs (marked central, named `NAME@VERSION`).
pub(crate) fn load(central: &Central, rego: &RegoOptions) -> Result<Loaded, Error> {
    let mut loaded = Loaded {
        packs: Vec::new(),
        documents: Vec::new(),
        levels: HashMap::new(),
        config: HashMap::new(),
    };
    for required in &central.packs {
        let (mut pack, own_levels, own_config) = match &required.source {
            CentralSource::Rego(dir) => {
                let mut packs = crate::load_packs(std::slice::from_ref(dir), &rego.load_options())
                    .map_err(|e| Error {
                        message: format!(
                            "the server's pack `{}@{}`: {}",
                            required.name, required.version, e.message
                        ),
                        ..e
                    })?;
                let Some(rego_pack) = packs.pop() else {
                    continue;
                };
                if rego_pack.needs_document {
                    loaded.documents.push(Arc::clone(&rego_pack.preloader));
                }
                (rego_pack.pack, BTreeMap::new(), serde_json::Map::new())
            }
            CentralSource::Selection {
                select: selectors,
                levels,
                config,
            } => {
                let from = format!(
                    "the server's selection `{}@{}`",
                    required.name, required.version
                );
                let mut pack = guardrail_catalog::builtin_pack();
                pack.policies = select::choose(selectors, &from, &[], "")?;
                (pack, levels.clone(), config.clone())
            }
        };
        pack.name = format!("{}@{}", required.name, required.version);
        pack.version = Some(required.version.clone());
        pack.central = true;
        for policy in &pack.policies {
            let meta = policy.meta();
            let set = required
                .policies
                .get(&meta.id)
                .or_else(|| required.policies.get(&meta.name));
            let level = set
                .and_then(|p| p.level)
                .or(required.level)
                .or_else(|| own_levels.get(&meta.id).copied())
                .or(pack.enforcement)
                .unwrap_or(meta.enforcement);
            let mut config = own_config
                .get(&meta.id)
                .and_then(serde_json::Value::as_object)
                .cloned()
                .unwrap_or_default();
            if let Some(set) = set {
                config.extend(set.config.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            // The same policy in two required packs: the stricter level, the later config.
            let entry = loaded.levels.entry(meta.id.clone()).or_insert(level);
            *entry = stricter(*entry, level);
            loaded
                .config
                .entry(meta.id.clone())
                .or_default()
                .extend(config);
        }
        loaded.packs.push(pack);
    }
    Ok(loaded)
}

/// Puts the required packs before the local ones, leaves out local policies they replace, and
/// makes the levels, config and exemptions of required policies the service's.
pub(crate) fn apply(
    loaded: Loaded,
    packs: &mut Vec<Pack>,
    settings: &mut PolicySettings,
    overrides: &mut HashMap<String, Enforcement>,
    exemptions: &[Exemption],
    observer: &dyn Observer,
) {
    let Loaded {
        packs: required,
        levels,
        config,
        ..
    } = loaded;
    for pack in packs.iter_mut() {
        let before = pack.policies.len();
        pack.policies.retain(|p| !levels.contains_key(&p.meta().id));
        let replaced = before - pack.policies.len();
        if replaced > 0 && pack.name != guardrail_catalog::PACK_NAME {
            observer.warning(&format!(
                "{replaced} local polic{} of the pack `{}` also required by the server: the server's version runs",
                if replaced == 1 { "y is" } else { "ies are" },
                pack.name
            ));
        }
    }
    // A local `all` below the server's levels is one warning, not one per policy.
    let mut lowered_by_all = 0;
    for pack in &required {
        for policy in &pack.policies {
            let meta = policy.meta();
            let Some(&server) = levels.get(&meta.id) else {
                continue;
            };
            let own = settings
                .policies
                .get(&meta.id)
                .or_else(|| settings.policies.get(&meta.name))
                .and_then(|o| o.enforcement);
            let level = match own.or(settings.all) {
                Some(local) if strictness(local) < strictness(server) => {
                    if own.is_some() {
                        observer.warning(&format!(
                            "the local level `{local}` of `{}` is overridden: the server requires `{server}`",
                            meta.id
                        ));
                    } else {
                        lowered_by_all += 1;
                    }
                    server
                }
                Some(local) => stricter(local, server),
                None => server,
            };
            overrides.insert(meta.id.clone(), level);
            overrides.insert(meta.name.clone(), level);
            let mut local_config = false;
            for key in [&meta.id, &meta.name] {
                if let Some(o) = settings.policies.get_mut(key.as_str()) {
                    local_config |= !std::mem::take(&mut o.config).is_empty();
                }
            }
            if local_config {
                observer.warning(&format!(
                    "the local config of `{}` is overridden: the server's config applies",
                    meta.id
                ));
            }
            let entry = settings.policies.entry(meta.id.clone()).or_default();
            entry.config = config.get(&meta.id).cloned().unwrap_or_default();
        }
    }
    if let (n @ 1.., Some(all)) = (lowered_by_all, settings.all) {
        observer.warning(&format!(
            "the local `all = \"{all}\"` is overridden for {n} polic{} the server requires at a stricter level",
            if n == 1 { "y" } else { "ies" }
        ));
    }
    warn_local_exemptions(&required, exemptions, observer);
    let mut all = required;
    all.append(packs);
    *packs = all;
}

/// Warns about every local exemption that covers a required policy (of the packs marked
/// central among `packs`): it does not apply there.
pub(crate) fn warn_local_exemptions(
    packs: &[Pack],
    exemptions: &[Exemption],
    observer: &dyn Observer,
) {
    for e in exemptions.iter().filter(|e| !e.central) {
        let covered: Vec<&str> = packs
            .iter()
            .filter(|p| p.central)
            .flat_map(|p| &p.policies)
            .map(|p| p.meta())
            .filter(|m| {
                e.policies
                    .iter()
                    .any(|g| glob_match(g, &m.id) || glob_match(g, &m.name))
            })
            .map(|m| m.id.as_str())
            .collect();
        if let Some(first) = covered.first() {
            observer.warning(&format!(
                "the exemption `{}` does not apply to `{first}`{}: local exemptions apply to local policies only, not to policies the server requires",
                e.reason,
                match covered.len() {
                    1 => String::new(),
                    n => format!(" and {} more", n - 1),
                }
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stricter_level_wins() {
        use Enforcement::*;
        assert_eq!(stricter(Advisory, Mandatory), Mandatory);
        assert_eq!(stricter(Mandatory, Remediate), Mandatory);
        assert_eq!(stricter(Remediate, Advisory), Remediate);
        assert_eq!(stricter(Disabled, Advisory), Advisory);
        assert_eq!(stricter(Disabled, Disabled), Disabled);
    }
}
