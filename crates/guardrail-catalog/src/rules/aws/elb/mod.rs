//! Elastic Load Balancing rules.

pub mod lb_target_group_admin_port;
