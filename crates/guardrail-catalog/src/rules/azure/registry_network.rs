//! Registry group: Azure networking, monitoring, identity and RBAC.

use super::*;
use crate::rule::RuleSpec;

/// The group's rules, in declared order.
pub static RULES: &[&RuleSpec] = &[
    &network::nsg_no_ssh_from_internet::RULE,
    &network::nsg_no_rdp_from_internet::RULE,
    &network::nsg_no_admin_or_database_ports_from_internet::RULE,
    &network::nsg_http_from_internet_reviewed::RULE,
    &network::nsg_no_udp_from_internet::RULE,
    &network::public_ip_standard_sku::RULE,
    &network::firewall_threat_intel_deny::RULE,
    &network::application_gateway_waf_enabled::RULE,
    &monitor::log_profile_retention_one_year::RULE,
    &monitor::log_profile_captures_all_activity::RULE,
    &monitor::log_analytics_retention_90_days::RULE,
    &rbac::custom_role_no_wildcard_actions::RULE,
    &network::virtual_network_ddos_protection::RULE,
    &network::flow_log_retention_90_days::RULE,
    &network::flow_log_traffic_analytics::RULE,
    &monitor::log_analytics_public_ingestion_disabled::RULE,
    &monitor::log_analytics_public_query_disabled::RULE,
    &network::firewall_policy_threat_intel_deny::RULE,
    &network::firewall_policy_idps_deny::RULE,
    &monitor::diagnostic_setting_collects_logs::RULE,
];
