//! Services: load balancers, node ports, external IPs, published ports.

pub mod service_load_balancer_source_ranges;
pub mod service_no_exposed_admin_ports;
pub mod service_no_external_ips;
pub mod service_no_node_port;
