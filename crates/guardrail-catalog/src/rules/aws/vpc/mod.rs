//! Amazon VPC rules: flow logs, default security groups, network ACLs, subnets, routing.

pub mod nacl_admin_ports_open_to_world;
pub mod subnet_no_auto_public_ip;
pub mod transit_gateway_auto_accept_disabled;
pub mod vpc_default_security_group_closed;
pub mod vpc_flow_log_captures_rejected;
pub mod vpc_flow_logs_enabled;
pub mod vpc_peering_route_least_access;
