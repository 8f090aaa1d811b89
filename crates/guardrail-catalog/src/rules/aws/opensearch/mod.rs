//! Amazon OpenSearch Service (and legacy Elasticsearch Service) rules.

pub mod opensearch_access_policy_not_public;
pub mod opensearch_domain_audit_logs;
pub mod opensearch_domain_encrypted_at_rest;
pub mod opensearch_domain_enforces_https;
pub mod opensearch_domain_error_logs;
pub mod opensearch_domain_fine_grained_access_control;
pub mod opensearch_domain_in_vpc;
pub mod opensearch_domain_node_to_node_encryption;
pub mod opensearch_domain_tls_policy;

use guardrail_core::{Halt, ResourceView, Value, Verdict, Violation};

use crate::support::{at, read_first_at, spelled, who};

/// The verdict of a rule that a domain publishes one log type (`AUDIT_LOGS`...) to CloudWatch
/// Logs: a pass when a `log_publishing_options` entry of that type is not disabled, otherwise a
/// violation saying the domain does not publish `what` (`audit logs`).
pub(crate) fn log_published_verdict(
    view: ResourceView<'_>,
    log_type: &str,
    what: &str,
) -> Result<Verdict, Halt> {
    let (options, list_path) =
        match read_first_at(view, &["logPublishingOptions", "logPublishingOption"])? {
            Some(found) => found,
            None => (&Value::Null, at(view, "logPublishingOptions")),
        };
    for (i, option) in options.items().enumerate() {
        let at = format!("{list_path}[{i}]");
        let kind = option.field("logType").map_err(|_| {
            Halt::unknown(format!(
                "{at}.{}",
                spelled(view.resource.spelling, "logType")
            ))
        })?;
        if !kind
            .and_then(Value::as_str)
            .is_some_and(|k| k.eq_ignore_ascii_case(log_type))
        {
            continue;
        }
        let enabled = option
            .field("enabled")
            .map_err(|_| Halt::unknown(format!("{at}.enabled")))?
            .and_then(Value::as_bool)
            .unwrap_or(true);
        if enabled {
            return Ok(Verdict::Pass);
        }
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} does not publish {what} (`{log_type}`) to CloudWatch Logs",
            who(view, "OpenSearch domain")
        ))
        .at(list_path),
    ))
}
