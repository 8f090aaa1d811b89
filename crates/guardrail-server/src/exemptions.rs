//! Exemptions granted by the service, as a stack's resolved policy carries them to the client
//! (and to the service's own evaluations), and the checks of a request.
//!
//! A granted exemption becomes a [`guardrail_core::Exemption`] marked central: it suppresses
//! findings of server-required policies, exactly as a config exemption suppresses local ones.
//! A break-glass exemption still waiting for its approval says so in its reason
//! (`[break-glass, awaiting approval]`), which every report prints beside the findings it
//! suppresses.

use guardrail_store::ExemptionRecord;
use serde::{Deserialize, Serialize};

/// The longest break-glass exemption, in seconds.
pub const BREAK_GLASS_SECONDS: i64 = 24 * 3600;
/// How far ahead an exemption may expire, in days.
pub const MAX_DAYS: i64 = 366;

/// An exemption in a stack's resolved policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Granted {
    /// Its id on the service.
    pub id: i64,
    /// The policy's id.
    pub policy: String,
    /// The resource or glob.
    pub resource: String,
    /// Why.
    pub reason: String,
    /// The last day it applies (`YYYY-MM-DD`, UTC).
    pub expires: String,
    /// When it stops applying (Unix seconds): a break-glass exemption ends within its day, so
    /// a client running a cached policy (`--offline-ok`) drops it by this, not by the date.
    #[serde(default)]
    pub expires_at: i64,
    /// A ticket reference.
    #[serde(default)]
    pub ticket: Option<String>,
    /// A break-glass exemption.
    #[serde(default)]
    pub break_glass: bool,
    /// Whether it still waits for approval (break-glass only).
    #[serde(default)]
    pub awaiting_approval: bool,
    /// Who approved it.
    #[serde(default)]
    pub approved_by: Option<String>,
}

impl Granted {
    /// The granted form of a stored exemption that applies.
    pub fn from_record(e: &ExemptionRecord) -> Granted {
        Granted {
            id: e.id,
            policy: e.policy.clone(),
            resource: e.resource.clone(),
            reason: e.reason.clone(),
            expires: date_of(e.expires_at - 1),
            expires_at: e.expires_at,
            ticket: e.ticket.clone(),
            break_glass: e.break_glass,
            awaiting_approval: e.awaits_approval(),
            approved_by: (e.status == "approved")
                .then(|| e.decided_by.clone())
                .flatten(),
        }
    }

    /// Whether it still applies at `now` (an answer without `expires_at` leaves it to the
    /// date).
    pub fn applies_at(&self, now: i64) -> bool {
        self.expires_at == 0 || self.expires_at > now
    }

    /// The pipeline's exemption (marked central).
    pub fn to_exemption(&self) -> guardrail_core::Exemption {
        let flag = match (self.break_glass, self.awaiting_approval) {
            (true, true) => "[break-glass, awaiting approval] ",
            (true, false) => "[break-glass] ",
            _ => "",
        };
        guardrail_core::Exemption {
            policies: vec![self.policy.clone()],
            resources: vec![self.resource.clone()],
            reason: format!("{flag}{} (server exemption {})", self.reason, self.id),
            expires: Some(self.expires.clone()),
            approved_by: self.approved_by.clone(),
            ticket: self.ticket.clone(),
            central: true,
        }
    }
}

/// Days since 1970-01-01 of a civil date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// The UTC date (`YYYY-MM-DD`) of a Unix time.
pub fn date_of(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// The start (Unix seconds, UTC) of a `YYYY-MM-DD` date, if it is a real date.
pub fn parse_date(text: &str) -> Option<i64> {
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i64, i64, i64) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let days = days_from_civil(y, m, d);
    (civil_from_days(days) == (y, m, d)).then_some(days * 86_400)
}

/// When an exemption requested at `now` with this last day stops applying: the end of that
/// day, or 24 hours after `now` for break-glass, whichever comes first. The error says what is
/// wrong with the date.
pub fn expiry(expires: &str, break_glass: bool, now: i64) -> Result<i64, String> {
    let start = parse_date(expires).ok_or_else(|| {
        format!("the expiry `{expires}` is not a date: write `YYYY-MM-DD` (the last day it applies, UTC)")
    })?;
    let end = start + 86_400;
    if end <= now {
        return Err(format!(
            "the expiry `{expires}` is in the past: give the last day the exemption applies"
        ));
    }
    if end > now + MAX_DAYS * 86_400 {
        return Err(format!(
            "the expiry `{expires}` is more than {MAX_DAYS} days ahead: exemptions are temporary, request a new one when it ends"
        ));
    }
    Ok(if break_glass {
        end.min(now + BREAK_GLASS_SECONDS)
    } else {
        end
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_break_glass_lasts_a_day_at_most() {
        assert_eq!(parse_date("1970-01-02"), Some(86_400));
        assert_eq!(parse_date("2027-02-30"), None);
        assert_eq!(parse_date("2027-1-01"), None);
        let t = parse_date("2026-12-05").unwrap();
        assert_eq!(date_of(t), "2026-12-05");
        assert_eq!(date_of(t + 86_399), "2026-12-05");
        let now = t + 3600;
        assert_eq!(expiry("2026-12-05", false, now), Ok(t + 86_400));
        assert_eq!(
            expiry("2026-12-31", true, now),
            Ok(now + BREAK_GLASS_SECONDS)
        );
        assert_eq!(expiry("2026-12-05", true, now), Ok(t + 86_400));
        assert!(expiry("2026-12-04", false, now)
            .unwrap_err()
            .contains("in the past"));
        assert!(expiry("2028-12-04", false, now)
            .unwrap_err()
            .contains("366 days"));
        assert!(expiry("soon", false, now).unwrap_err().contains("`soon`"));
        let granted = Granted {
            id: 1,
            policy: "P".into(),
            resource: "*".into(),
            reason: "r".into(),
            expires: date_of(now),
            expires_at: now + 10,
            ticket: None,
            break_glass: true,
            awaiting_approval: true,
            approved_by: None,
        };
        assert!(granted.applies_at(now + 9));
        assert!(
            !granted.applies_at(now + 10),
            "a break-glass one ends within its day"
        );
        assert!(granted
            .to_exemption()
            .reason
            .starts_with("[break-glass, awaiting approval] r"));
    }
}
