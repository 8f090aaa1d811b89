//! Records of the exemption workflow and of the audit log.
//!
//! An exemption is requested for one stack, one policy and one resource (or a glob of them),
//! with a reason and an expiry; it waits (`pending`) until a policy admin approves or denies it.
//! A break-glass request applies at once, for 24 hours at most, and still waits for a decision.
//! Whether a recorded exemption applies depends on its decision and on the clock:
//! [`ExemptionRecord::state`] says which.
//!
//! The audit log records every change to packs, groups, tokens, stack tags and exemptions, in
//! the transaction of the change. It is append-only: the store has no method that changes or
//! deletes an entry.

/// An exemption to request.
#[derive(Clone, Debug)]
pub struct NewExemption<'a> {
    /// The stack's project.
    pub project: &'a str,
    /// The stack's name.
    pub stack: &'a str,
    /// The policy's id.
    pub policy: &'a str,
    /// The resource's id, URN or address, or a glob of them (`*`, `?`).
    pub resource: &'a str,
    /// Why.
    pub reason: &'a str,
    /// The last day it applies (`YYYY-MM-DD`, UTC).
    pub expires: &'a str,
    /// When it stops applying (Unix seconds): the end of `expires`, or earlier for a
    /// break-glass request.
    pub expires_at: i64,
    /// A ticket reference.
    pub ticket: Option<&'a str>,
    /// An emergency request: applies at once, needs approval afterwards.
    pub break_glass: bool,
}

/// A stored exemption.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExemptionRecord {
    /// Its id.
    pub id: i64,
    /// The stack's project.
    pub project: String,
    /// The stack's name.
    pub stack: String,
    /// The policy's id.
    pub policy: String,
    /// The resource or glob.
    pub resource: String,
    /// Why.
    pub reason: String,
    /// The last day it applies (`YYYY-MM-DD`).
    pub expires: String,
    /// When it stops applying (Unix seconds).
    pub expires_at: i64,
    /// A ticket reference.
    pub ticket: Option<String>,
    /// Requested as break-glass.
    pub break_glass: bool,
    /// The decision: `pending`, `approved`, `denied` or `revoked`.
    pub status: String,
    /// Who requested it.
    pub requested_by: String,
    /// When (Unix seconds).
    pub requested_at: i64,
    /// Who approved or denied it.
    pub decided_by: Option<String>,
    /// When (Unix seconds).
    pub decided_at: Option<i64>,
    /// Who revoked it.
    pub revoked_by: Option<String>,
    /// When (Unix seconds).
    pub revoked_at: Option<i64>,
}

impl ExemptionRecord {
    /// Its state at `now`: `pending` (waiting, not applying), `active` (applying: approved, or
    /// break-glass and not yet decided), `expired`, `denied` or `revoked`.
    pub fn state(&self, now: i64) -> &'static str {
        match self.status.as_str() {
            "revoked" => "revoked",
            "denied" => "denied",
            _ if self.expires_at <= now => "expired",
            "approved" => "active",
            _ if self.break_glass => "active",
            _ => "pending",
        }
    }

    /// Whether it applies at `now`.
    pub fn applies(&self, now: i64) -> bool {
        self.state(now) == "active"
    }

    /// Whether it is a break-glass exemption still waiting for its approval afterwards.
    pub fn awaits_approval(&self) -> bool {
        self.status == "pending"
    }
}

/// A decision on an exemption.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Approve a pending request (not one's own).
    Approve,
    /// Deny a pending request (a break-glass one stops applying).
    Deny,
    /// Revoke a pending or approved exemption.
    Revoke,
}

impl Decision {
    /// The decision's name, as the API and the audit log spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::Deny => "deny",
            Decision::Revoke => "revoke",
        }
    }
}

/// One entry of the audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    /// Its id (increasing).
    pub id: i64,
    /// When (Unix seconds).
    pub at: i64,
    /// Who made the change (a user's name).
    pub actor: String,
    /// What kind of thing changed: `pack`, `group`, `token`, `stack` or `exemption`.
    pub kind: String,
    /// What was done: `publish`, `deprecate`, `put`, `delete`, `create`, `revoke`, `set-tags`,
    /// `request`, `approve`, `deny`.
    pub action: String,
    /// Which one (`NAME@VERSION`, a group's name, a token's id, `PROJECT/STACK`, an
    /// exemption's id).
    pub target: String,
    /// The thing before the change (JSON text), `None` when it did not exist.
    pub before: Option<String>,
    /// The thing after the change (JSON text), `None` when it no longer exists.
    pub after: Option<String>,
}

/// Which audit entries a query wants. Every set field must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only this kind.
    pub kind: Option<String>,
    /// At or after (Unix seconds).
    pub since: Option<i64>,
    /// Before (Unix seconds).
    pub until: Option<i64>,
    /// Only ids below this one (the next page).
    pub before: Option<i64>,
    /// At most this many, newest first.
    pub limit: i64,
}
