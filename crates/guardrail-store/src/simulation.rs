//! Records of progressive enforcement and of per-pack grants.
//!
//! A simulation replays the recorded runs of a window: [`ReplayQuery`] asks for them,
//! [`ReplayRun`] is one run with the findings that decide its outcome again. A server-side
//! evaluation keeps its input ([`StoredInput`]: the loaded model with every secret leaf
//! replaced by a marker), so that a simulation can evaluate it again with another pack version.
//!
//! A `policy-admin` may be limited to packs (names or globs): [`NewUser::packs`] and
//! [`crate::User::packs`].

use crate::enforcement::{NewFinding, RunRecord};
use crate::Role;

/// `*` matches any run of characters, `?` one (pack grants).
pub fn glob(pattern: &str, text: &str) -> bool {
    fn go(p: &[char], t: &[char]) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some(('*', rest)) => (0..=t.len()).any(|i| go(rest, t.get(i..).unwrap_or_default())),
            Some((c, rest)) => t
                .split_first()
                .is_some_and(|(x, tail)| (*c == '?' || x == c) && go(rest, tail)),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    go(&p, &t)
}

/// A user to add to an organization.
#[derive(Clone, Debug)]
pub struct NewUser<'a> {
    /// Its name, unique in the organization.
    pub name: &'a str,
    /// Its role.
    pub role: Role,
    /// The packs (names or globs) a `policy-admin` is limited to; `None`: every pack.
    pub packs: Option<&'a [String]>,
}

/// A change to a user: each field that is set replaces the stored one.
#[derive(Clone, Debug, Default)]
pub struct UserChange<'a> {
    /// The new role.
    pub role: Option<Role>,
    /// The new pack limit: `Some(None)` lifts it (every pack), `Some(Some(globs))` sets it.
    pub packs: Option<Option<&'a [String]>>,
}

/// A promotion to store: the group's new spec, written only if the group still holds the
/// spec the promotion was simulated on.
#[derive(Clone, Debug)]
pub struct GroupPromotion<'a> {
    /// The group's name.
    pub group: &'a str,
    /// The spec (JSON text) the caller read and simulated; `None`: the group was not stored.
    pub expected: Option<&'a str>,
    /// The new spec (JSON text).
    pub spec: &'a str,
    /// What the audit entry records beside the new spec (`promotion`).
    pub promotion: &'a serde_json::Value,
}

/// Which recorded runs a simulation replays.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplayQuery {
    /// The policy whose findings are re-levelled (every run's findings of it are returned).
    pub policy: String,
    /// Runs stored at or after (Unix seconds).
    pub since: i64,
    /// Runs stored before (Unix seconds); `None`: up to now.
    pub until: Option<i64>,
}

/// One recorded run as a simulation replays it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplayRun {
    /// The run.
    pub run: RunRecord,
    /// Its findings of the simulated policy, and every other finding of it that blocked.
    pub findings: Vec<NewFinding>,
    /// Whether its input is stored (a server-side evaluation since migration 8).
    pub has_input: bool,
}

/// The input of a server-side evaluation as stored: the loaded model, secrets replaced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredInput {
    /// The input's format (`terraform-plan`, `pulumi-preview`, …).
    pub format: String,
    /// The model as JSON, every secret leaf a marker (the server writes and reads it).
    pub model: Vec<u8>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("platform-*", "platform-guardrails"));
        assert!(glob("pci", "pci"));
        assert!(!glob("pci", "pci-dss"));
        assert!(glob("p?i", "pci"));
        assert!(glob("*", ""));
        assert!(!glob("a*b", "ac"));
    }
}
