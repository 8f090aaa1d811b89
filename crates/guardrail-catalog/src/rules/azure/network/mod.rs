//! Azure networking rules.

pub mod application_gateway_waf_enabled;
pub mod application_gateway_waf_prevention;
pub mod firewall_policy_idps_deny;
pub mod firewall_policy_threat_intel_deny;
pub mod firewall_threat_intel_deny;
pub mod flow_log_retention_90_days;
pub mod flow_log_traffic_analytics;
pub mod nsg_http_from_internet_reviewed;
pub mod nsg_no_admin_or_database_ports_from_internet;
pub mod nsg_no_rdp_from_internet;
pub mod nsg_no_ssh_from_internet;
pub mod nsg_no_udp_from_internet;
pub mod public_ip_standard_sku;
pub mod virtual_network_ddos_protection;
