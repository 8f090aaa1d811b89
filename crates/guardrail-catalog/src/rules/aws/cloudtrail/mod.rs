//! AWS CloudTrail rules.

pub mod cloudtrail_cloudwatch_logs;
pub mod cloudtrail_global_service_events;
pub mod cloudtrail_kms_encryption;
pub mod cloudtrail_log_file_validation;
pub mod cloudtrail_logging_enabled;
pub mod cloudtrail_multi_region;
pub mod cloudtrail_s3_data_events;
