//! Cloud DNS rules.

pub mod dns_key_signing_key_not_rsasha1;
pub mod dns_network_query_logging;
pub mod dns_policy_logging;
pub mod dns_zone_dnssec;
pub mod dns_zone_signing_key_not_rsasha1;
