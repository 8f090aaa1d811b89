//! `--select` and `--ignore`: the catalog's selection grammar ([`guardrail_catalog::select`])
//! turned into policies, and its errors into messages that say where the selector came from.

use std::sync::Arc;

use guardrail_catalog::{SelectError, Selection};
use guardrail_core::Policy;

use crate::Error;

/// The candidate nearest to `word`, if near enough to be a plausible typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    guardrail_catalog::select::nearest(word, candidates)
}

/// Splits repeated, comma-separated selector flags.
pub fn split(values: &[String]) -> Vec<String> {
    guardrail_catalog::select::split(values)
}

/// The error for a selector that cannot be used; `from` says where it was written: a flag
/// (`--select`) or a place in the config (``the config's `ignore` ``).
fn user_error(e: SelectError, from: &str) -> Error {
    let message = if from.starts_with("--") {
        format!("`{from} {}` {}", e.selector, e.problem)
    } else {
        format!("`{}` in {from} {}", e.selector, e.problem)
    };
    let rest = e
        .expected
        .unwrap_or_else(|| "`guardrail rules` lists every policy".to_string());
    Error::usage(message).help(match e.suggestion {
        Some(s) => format!("did you mean `{s}`? {rest}"),
        None if rest.starts_with('`') => "`guardrail rules` lists every policy id and name".into(),
        None => rest,
    })
}

/// Parses selectors (comma-separated, possibly repeated) written in `from`.
pub fn parse(values: &[String], from: &str) -> Result<Selection, Error> {
    Selection::parse(values).map_err(|e| user_error(e, from))
}

/// The policies of `catalog` that `selectors` pick, in catalog order. Every selector must be
/// valid and the selection as a whole must pick something.
pub fn select(
    catalog: &[Arc<dyn Policy>],
    selectors: &[String],
    from: &str,
) -> Result<Vec<Arc<dyn Policy>>, Error> {
    let selection = parse(selectors, from)?;
    let picked = picked_ids(&selection);
    if picked.is_empty() && !selection.is_empty() {
        return Err(nothing_picked(selectors, from));
    }
    Ok(catalog
        .iter()
        .filter(|p| picked.contains(&p.meta().id.as_str()))
        .cloned()
        .collect())
}

/// The built-in policies to run: those `select` picks (the default set when it is empty), less
/// those `ignore` picks. Naming nothing, or leaving nothing, is an error.
pub fn choose(
    select: &[String],
    select_from: &str,
    ignore: &[String],
    ignore_from: &str,
) -> Result<Vec<Arc<dyn Policy>>, Error> {
    let selection = parse(select, select_from)?;
    let ignored = parse(ignore, ignore_from)?;
    let defaults = guardrail_catalog::default_selection();
    let specs = guardrail_catalog::rules();
    let universe: Vec<_> = if selection.is_empty() {
        specs
            .iter()
            .copied()
            .filter(|s| defaults.contains(&s.id))
            .collect()
    } else {
        specs.to_vec()
    };
    if !selection.is_empty() && !specs.iter().any(|s| selection.matches(s)) {
        return Err(nothing_picked(select, select_from));
    }
    if !ignored.is_empty() && !specs.iter().any(|s| ignored.matches(s)) {
        return Err(nothing_picked(ignore, ignore_from));
    }
    let chosen = guardrail_catalog::select::select(&universe, &selection, &ignored);
    if chosen.is_empty() {
        return Err(Error::usage(format!(
            "`{ignore_from} {}` leaves no built-in policy to run",
            split(ignore).join(",")
        ))
        .help("narrow the ignore list, or widen --select"));
    }
    Ok(chosen
        .into_iter()
        .map(|spec| Arc::new(spec.policy()) as Arc<dyn Policy>)
        .collect())
}

fn picked_ids(selection: &Selection) -> Vec<&'static str> {
    guardrail_catalog::rules()
        .iter()
        .filter(|s| selection.matches(s))
        .map(|s| s.id)
        .collect()
}

/// Every selector is valid but together they pick nothing: fields are ANDed.
fn nothing_picked(selectors: &[String], from: &str) -> Error {
    let joined = split(selectors).join(",");
    let message = if from.starts_with("--") {
        format!("`{from} {joined}` picks no built-in policy")
    } else {
        format!("`{joined}` in {from} picks no built-in policy")
    };
    Error::usage(message).help(
        "selectors of the same field are alternatives, different fields must all hold \
         (`AWS-S3,service=rds` asks for S3 rules about RDS); see docs/catalog.md",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_string()).collect()
    }

    #[test]
    fn suggests_near_names_only() {
        let names = ["AWS-ELB-001", "required-tags"];
        assert_eq!(nearest("AWS-ELB-01", names), Some("AWS-ELB-001"));
        assert_eq!(nearest("requierd-tags", names), Some("required-tags"));
        assert_eq!(nearest("zzzzzzzzzz", names), None);
    }

    #[test]
    fn errors_say_where_the_selector_came_from() {
        let err = |r: Result<Vec<Arc<dyn Policy>>, Error>| match r {
            Ok(_) => panic!("selected"),
            Err(e) => (e.message, e.help.unwrap_or_default()),
        };
        let (message, help) = err(choose(
            &strings(&["service=s4"]),
            "--select",
            &[],
            "--ignore",
        ));
        assert_eq!(
            message,
            "`--select service=s4` names an unknown service `s4`"
        );
        assert!(
            help.starts_with("did you mean `service=s3`? services: "),
            "{help}"
        );

        let (message, _) = err(choose(
            &[],
            "--select",
            &strings(&["AWS-ELB-901"]),
            "the config's `ignore`",
        ));
        assert_eq!(
            message,
            "`AWS-ELB-901` in the config's `ignore` matches no built-in policy"
        );

        let (message, help) = err(choose(
            &strings(&["AWS-S3,service=rds"]),
            "--select",
            &[],
            "--ignore",
        ));
        assert_eq!(
            message,
            "`--select AWS-S3,service=rds` picks no built-in policy"
        );
        assert!(help.contains("must all hold"), "{help}");

        let (message, _) = err(choose(
            &strings(&["AWS-ELB-001"]),
            "--select",
            &strings(&["AWS-ELB"]),
            "--ignore",
        ));
        assert_eq!(
            message,
            "`--ignore AWS-ELB` leaves no built-in policy to run"
        );
    }

    #[test]
    fn ignore_without_select_trims_the_default_set() {
        let all = choose(&[], "--select", &[], "--ignore").unwrap_or_default();
        assert_eq!(all.len(), guardrail_catalog::default_selection().len());
        assert!(all.iter().all(|p| !p.meta().id.starts_with("PLATFORM-")));
        // the demos leave the default set, but stay selectable by prefix and by topic
        let demos =
            choose(&strings(&["PLATFORM"]), "--select", &[], "--ignore").unwrap_or_default();
        assert_eq!(demos.len(), 3);
        let tagging =
            choose(&strings(&["topic=tagging"]), "--select", &[], "--ignore").unwrap_or_default();
        assert!(tagging.iter().any(|p| p.meta().id == "PLATFORM-003"));
        let fewer =
            choose(&[], "--select", &strings(&["severity=low"]), "--ignore").unwrap_or_default();
        assert!(!fewer.is_empty() && fewer.len() < all.len());
        assert!(fewer
            .iter()
            .all(|p| p.meta().severity != guardrail_core::Severity::Low));
    }
}
