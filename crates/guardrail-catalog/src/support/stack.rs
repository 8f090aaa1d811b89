//! Stack-level helpers: the managed resources of a type, companion resources that configure
//! another resource (a bucket's versioning, a VPC's flow log, a secret's rotation) and whether
//! such a setting holds, is missing or is known only after apply.

use std::collections::HashMap;

use guardrail_core::{
    canonical_type, Halt, Mode, ResourceView, StackFinding, StackView, Value, Violation,
};

use super::spelled;

/// Whether something holds: yes, no, or known only after apply (at this path).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Known {
    /// It holds.
    Yes,
    /// It does not.
    No,
    /// It depends on a value known only after apply.
    Unknown(String),
    /// It depends on a value known only after apply of another resource (its id, then the
    /// path): an account-wide setting that covers every target.
    UnknownIn(String, String),
}

impl Known {
    /// From a check that may halt on an unknown value (errors count as no).
    pub(crate) fn from_result(result: Result<bool, Halt>) -> Known {
        match result {
            Ok(true) => Known::Yes,
            Ok(false) => Known::No,
            Err(Halt::Unknown { path, .. }) => Known::Unknown(path),
            Err(Halt::Error(_)) => Known::No,
        }
    }

    /// Any yes wins; otherwise the first unknown; otherwise no.
    pub(crate) fn any(results: impl IntoIterator<Item = Known>) -> Known {
        let mut pending = None;
        for result in results {
            match result {
                Known::Yes => return Known::Yes,
                Known::No => {}
                unknown => {
                    pending.get_or_insert(unknown);
                }
            }
        }
        pending.unwrap_or(Known::No)
    }

    /// An unknown of this resource's own as one of the resource `id`.
    pub(crate) fn of(self, id: &str) -> Known {
        match self {
            Known::Unknown(path) => Known::UnknownIn(id.to_string(), path),
            other => other,
        }
    }
}

/// Folds a key for comparison: lower case without `_`.
fn folded(key: &str) -> String {
    key.chars()
        .filter(|c| *c != '_')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Whether a resource is managed (not a data source) and of one of the canonical types.
fn managed_of(r: ResourceView<'_>, canonicals: &[&str]) -> bool {
    r.resource.mode == Mode::Managed
        && canonicals.contains(&canonical_type(&r.resource.type_).as_ref())
}

/// The managed resources of a stack with one canonical type.
pub(crate) fn of_type<'a>(
    view: StackView<'a>,
    canonical: &'static str,
) -> impl Iterator<Item = ResourceView<'a>> + 'a {
    view.resources()
        .filter(move |r| managed_of(*r, &[canonical]))
}

/// A value known only after apply that keeps a stack rule from deciding for a target: its path,
/// and the resource it belongs to when that is not the target (a companion).
type Pending = (String, Option<String>);

/// The finding for a target a setting does not cover: a violation, or, when the target's
/// coverage waits on a value known only after apply, an indeterminate finding that names it.
fn gap(
    target: ResourceView<'_>,
    pending: Option<Pending>,
    violation: impl FnOnce() -> Violation,
) -> StackFinding {
    match pending {
        Some((path, of)) => StackFinding::unknown(target.resource.id.clone(), path, of),
        None => StackFinding::violation(target.resource.id.clone(), violation()),
    }
}

/// The findings on the managed resources of `targets` that a setting does not cover, for stack
/// rules whose setting lives on the target itself (`inline`) or on a linked resource of `links`
/// that [`refers_to`] the target through its property `key` (naming the target by one of
/// `names`) and for which `covers` holds. An `Err(path)` from any of these is a value known
/// only after apply: such a target is undecided (an indeterminate finding naming that value),
/// every other uncovered target a violation built by `violation`.
#[expect(
    clippy::too_many_arguments,
    reason = "each argument is one part of the rule's description"
)]
pub(crate) fn unlinked<'a>(
    view: StackView<'a>,
    targets: &'a [&'a str],
    links: &'a [&'a str],
    key: &str,
    names: &[&str],
    inline: impl Fn(ResourceView<'_>) -> Result<bool, String>,
    covers: impl Fn(ResourceView<'_>) -> Result<bool, String>,
    violation: impl Fn(ResourceView<'a>) -> Violation,
) -> Vec<StackFinding> {
    let links: Vec<ResourceView<'_>> = of_types(view, links).collect();
    let mut found = Vec::new();
    for target in of_types(view, targets) {
        let mut pending: Option<Pending> = None;
        match inline(target) {
            Ok(true) => continue,
            Ok(false) => {}
            Err(path) => pending = Some((path, None)),
        }
        let mut covered = false;
        for link in &links {
            let link = *link;
            match refers_to(link, key, target, names).and_then(|linked| {
                if linked {
                    covers(link)
                } else {
                    Ok(false)
                }
            }) {
                Ok(true) => {
                    covered = true;
                    break;
                }
                Ok(false) => {}
                Err(path) => {
                    pending.get_or_insert((path, Some(link.resource.id.clone())));
                }
            }
        }
        if !covered {
            found.push(gap(target, pending, || violation(target)));
        }
    }
    found
}

/// Managed resources of the stack whose canonical type is one of `types`.
pub(crate) fn of_types<'a>(
    view: StackView<'a>,
    types: &'a [&'a str],
) -> impl Iterator<Item = ResourceView<'a>> + 'a {
    view.resources().filter(move |r| managed_of(*r, types))
}

/// Companion resources that configure another resource through one property (a bucket's
/// versioning through `bucket`, a VPC's flow log through `vpcId`), indexed by every key that ties
/// them to it: the property's known value, and the resources that property's value comes from
/// (its property dependencies: Pulumi's, or for Terraform plans the references of the argument's
/// expression in the configuration). Never by other dependencies: a logging configuration whose
/// `target_bucket` or `depends_on` names a bucket does not configure that bucket. A companion
/// whose property is known only after apply and has no property dependencies could configure
/// any target: it is kept apart ([`Companions::unresolved`]). Lookups stay linear in the size of
/// the stack.
pub(crate) struct Companions<'a> {
    list: Vec<ResourceView<'a>>,
    index: HashMap<&'a str, Vec<usize>>,
    unresolved: Vec<usize>,
    key: String,
}

impl<'a> Companions<'a> {
    /// Indexes the managed resources of the given canonical types by property `key`
    /// (camelCase).
    pub(crate) fn of(view: StackView<'a>, canonicals: &[&'static str], key: &str) -> Self {
        let list: Vec<ResourceView<'a>> = view
            .resources()
            .filter(|r| managed_of(*r, canonicals))
            .collect();
        let mut index: HashMap<&'a str, Vec<usize>> = HashMap::new();
        let mut unresolved = Vec::new();
        let wanted = folded(key);
        for (i, companion) in list.iter().enumerate() {
            let value = companion.props.field(key);
            let target = value
                .as_ref()
                .ok()
                .copied()
                .flatten()
                .and_then(Value::as_str);
            let mut keys: Vec<&'a str> = target.into_iter().collect();
            let resource = companion.resource;
            let by_property = resource
                .property_dependencies
                .iter()
                .find(|(k, _)| folded(k) == wanted)
                .map(|(_, deps)| deps);
            match by_property {
                Some(deps) => keys.extend(deps.items().filter_map(Value::as_str)),
                None if value.is_err() => unresolved.push(i),
                None => {}
            }
            for k in keys {
                let slot = index.entry(k).or_default();
                if slot.last() != Some(&i) {
                    slot.push(i);
                }
            }
        }
        Companions {
            list,
            index,
            unresolved,
            key: key.to_string(),
        }
    }

    /// The companions whose naming property is known only after apply with nothing recorded
    /// about where it comes from (Pulumi previews without property dependencies), each with
    /// that property's path in its own spelling: they may configure any target.
    pub(crate) fn unresolved(&self) -> impl Iterator<Item = (ResourceView<'a>, String)> + '_ {
        self.unresolved.iter().filter_map(|i| {
            self.list
                .get(*i)
                .map(|c| (*c, spelled(c.resource.spelling, &self.key)))
        })
    }

    /// The companions that refer to `target` by its resource id or by one of its properties
    /// `names` (camelCase, e.g. `bucket`, `id`, `arn`), in stack order.
    pub(crate) fn for_target(
        &self,
        target: ResourceView<'_>,
        names: &[&str],
    ) -> Vec<ResourceView<'a>> {
        let values = names.iter().filter_map(|key| {
            target
                .props
                .field(key)
                .ok()
                .flatten()
                .and_then(Value::as_str)
        });
        let mut found: Vec<usize> = values
            .chain([target.resource.id.as_str()])
            .filter_map(|name| self.index.get(name))
            .flatten()
            .copied()
            .collect();
        found.sort_unstable();
        found.dedup();
        found
            .into_iter()
            .filter_map(|i| self.list.get(i).copied())
            .collect()
    }

    /// Whether there are no companions at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// What a stack rule of the "configured inline or by a companion resource" kind checks.
pub(crate) struct Coverage<'a> {
    /// The canonical type of the resources that must be covered (`aws_s3_bucket`).
    pub target: &'static str,
    /// Properties of a target a companion may name it by (`bucket`, `id`), besides its id.
    pub names: &'static [&'static str],
    /// Canonical types of the companion resources.
    pub companions: &'static [&'static str],
    /// The companion property that names the target (camelCase, `bucket`).
    pub key: &'static str,
    /// Whether the target covers itself (inline settings).
    pub inline: &'a dyn Fn(ResourceView<'_>) -> Known,
    /// Whether one companion covers its target.
    pub companion: &'a dyn Fn(ResourceView<'_>) -> Known,
}

/// The findings on the targets a [`Coverage`] leaves uncovered: a violation built by
/// `violation` (given the target and whether a companion referred to it and did not cover it),
/// or, when the target's coverage waits on a value known only after apply, an indeterminate
/// finding naming that value. A companion whose naming property is unknown and unresolved may
/// cover any one target: every target it could cover is undecided, none passes or violates.
pub(crate) fn uncovered<'a>(
    view: StackView<'a>,
    coverage: &Coverage<'_>,
    violation: impl Fn(ResourceView<'a>, bool) -> Violation,
) -> Vec<StackFinding> {
    let companions = Companions::of(view, coverage.companions, coverage.key);
    // a companion that may name any target, and would cover it, leaves each one undecided
    // (checked once: on a plan without configuration there may be thousands of them)
    let anywhere: Option<Pending> = companions
        .unresolved()
        .find(|(companion, _)| (coverage.companion)(*companion) != Known::No)
        .map(|(companion, path)| (path, Some(companion.resource.id.clone())));
    let mut out = Vec::new();
    for target in of_type(view, coverage.target) {
        let mut pending: Option<Pending> = match (coverage.inline)(target) {
            Known::Yes => continue,
            Known::No => None,
            Known::Unknown(path) => Some((path, None)),
            Known::UnknownIn(id, path) => Some((path, Some(id))),
        };
        let referring = if companions.is_empty() {
            Vec::new()
        } else {
            companions.for_target(target, coverage.names)
        };
        let mut covered = false;
        for companion in &referring {
            match (coverage.companion)(*companion) {
                Known::Yes => {
                    covered = true;
                    break;
                }
                Known::No => {}
                Known::Unknown(path) => {
                    pending.get_or_insert((path, Some(companion.resource.id.clone())));
                }
                Known::UnknownIn(id, path) => {
                    pending.get_or_insert((path, Some(id)));
                }
            }
        }
        if covered {
            continue;
        }
        if pending.is_none() {
            pending.clone_from(&anywhere);
        }
        let referred = !referring.is_empty();
        out.push(gap(target, pending, || violation(target, referred)));
    }
    out
}

/// Whether `link` (a settings resource such as a backup policy or a rotation) refers to
/// `target`: its `key` property names the target (by one of `target_keys`: id, ARN, name,
/// identifier), or its property dependencies for `key` (Pulumi's, or the references of a
/// Terraform argument's expression) name the target. Other dependencies (`depends_on`, the
/// references of other arguments) never link. `Err(path)` when the link's key is known only
/// after apply and has no property dependencies to settle it.
pub(crate) fn refers_to(
    link: ResourceView<'_>,
    key: &str,
    target: ResourceView<'_>,
    target_keys: &[&str],
) -> Result<bool, String> {
    let resource = link.resource;
    let by_property = resource
        .property_dependencies
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key) || *k == &spelled(resource.spelling, key))
        .map(|(_, deps)| deps);
    if let Some(deps) = by_property {
        if deps
            .items()
            .filter_map(Value::as_str)
            .any(|id| id == target.resource.id)
        {
            return Ok(true);
        }
    }
    let names: Vec<&str> = target_keys
        .iter()
        .filter_map(|k| target.field(k).ok().flatten().and_then(Value::as_str))
        .filter(|s| !s.is_empty())
        .collect();
    match link.field(key) {
        Ok(Some(value)) => {
            if let Some(s) = value.as_str() {
                if names.contains(&s) {
                    return Ok(true);
                }
                // A reference to another resource by its own name fails here: a literal value
                // that names something else is not a link.
                return Ok(false);
            }
            Ok(false)
        }
        Ok(None) => Ok(false),
        Err(_) if by_property.is_some() => Ok(false),
        Err(_) => Err(spelled(resource.spelling, key)),
    }
}
