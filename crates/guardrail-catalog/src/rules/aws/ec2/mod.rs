//! EC2 and VPC networking rules.

pub mod security_group_admin_port_open_to_world;
