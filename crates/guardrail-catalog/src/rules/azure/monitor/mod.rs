//! Azure Monitor rules.

pub mod diagnostic_setting_collects_logs;
pub mod log_analytics_public_ingestion_disabled;
pub mod log_analytics_public_query_disabled;
pub mod log_analytics_retention_90_days;
pub mod log_profile_captures_all_activity;
pub mod log_profile_retention_one_year;
