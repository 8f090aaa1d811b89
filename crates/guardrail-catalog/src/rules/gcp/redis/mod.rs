//! Memorystore for Redis rules.

pub mod redis_instance_auth;
pub mod redis_instance_transit_encryption;
