//! Selecting built-in policies by id, name or id prefix.

use std::sync::Arc;

use guardrail_core::Policy;

use crate::UserError;

/// Edit distance, for "did you mean" suggestions.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let best = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            cur[j + 1] = best;
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// The candidate nearest to `word`, if near enough to be a plausible typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (distance(word, c), c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Whether `selector` picks the policy: `all`, its id or name (any case), or an id prefix
/// (`AWS`, `AWS-S3`, `AWS-S3-0`).
fn matches(selector: &str, policy: &dyn Policy) -> bool {
    let meta = policy.meta();
    let s = selector.trim();
    s.eq_ignore_ascii_case("all")
        || meta.id.eq_ignore_ascii_case(s)
        || meta.name.eq_ignore_ascii_case(s)
        || meta
            .id
            .to_ascii_uppercase()
            .starts_with(&s.to_ascii_uppercase())
}

/// Splits repeated, comma-separated selector flags.
pub fn split(values: &[String]) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The policies picked by `selectors`, in catalog order. Every selector must pick something.
pub fn select(
    catalog: &[Arc<dyn Policy>],
    selectors: &[String],
    flag: &str,
) -> Result<Vec<Arc<dyn Policy>>, UserError> {
    for s in selectors {
        if !catalog.iter().any(|p| matches(s, p.as_ref())) {
            let names = catalog
                .iter()
                .flat_map(|p| [p.meta().id.as_str(), p.meta().name.as_str()]);
            let mut err = UserError::new(format!("`{flag} {s}` matches no built-in policy"));
            err = match nearest(s, names) {
                Some(n) => err.help(format!(
                    "did you mean `{n}`? `guardrail rules` lists every policy"
                )),
                None => err.help("`guardrail rules` lists every policy id and name"),
            };
            return Err(err);
        }
    }
    Ok(catalog
        .iter()
        .filter(|p| selectors.iter().any(|s| matches(s, p.as_ref())))
        .cloned()
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names_only() {
        let names = ["AWS-ELB-001", "required-tags"];
        assert_eq!(nearest("AWS-ELB-01", names), Some("AWS-ELB-001"));
        assert_eq!(nearest("requierd-tags", names), Some("required-tags"));
        assert_eq!(nearest("zzzzzzzzzz", names), None);
    }
}
