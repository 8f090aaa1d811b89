//! Resource requests and limits of containers.

pub mod container_cpu_limits;
pub mod container_cpu_requests;
pub mod container_ephemeral_storage_limits;
pub mod container_memory_limits;
pub mod container_memory_requests;
