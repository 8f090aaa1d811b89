//! Amazon CloudWatch rules.

pub mod cloudwatch_alarm_actions_enabled;
pub mod cloudwatch_log_group_kms_encryption;
pub mod cloudwatch_log_group_retention;
