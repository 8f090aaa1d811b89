//! Elastic Load Balancing rules: application, network and classic load balancers.

pub mod alb_drop_invalid_header_fields;
pub mod alb_internet_facing_waf;
pub mod alb_waf_fail_closed;
pub mod elb_classic_connection_draining;
pub mod elb_classic_cross_zone;
pub mod elb_classic_listener_encrypted;
pub mod lb_access_logs_enabled;
pub mod lb_deletion_protection;
pub mod lb_desync_mitigation_mode;
pub mod lb_http_listener_redirects_to_https;
pub mod lb_listener_tls_policy;
pub mod lb_target_group_admin_port;
