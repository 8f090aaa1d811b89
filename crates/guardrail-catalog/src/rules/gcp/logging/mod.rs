//! Cloud Logging rules.

pub mod logging_audit_config_all_services;
pub mod logging_bucket_cmek;
pub mod logging_bucket_retention_locked;
