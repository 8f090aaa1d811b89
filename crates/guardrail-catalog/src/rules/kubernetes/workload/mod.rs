//! Workload availability.

pub mod workload_multiple_replicas;
