//! Rules about the platform's component types.

pub mod component_memory_limit;
pub mod component_stack_buckets_encrypted;
