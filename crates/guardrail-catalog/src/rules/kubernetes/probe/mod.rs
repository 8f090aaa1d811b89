//! Liveness and readiness probes.

pub mod container_liveness_probe;
pub mod container_readiness_probe;
