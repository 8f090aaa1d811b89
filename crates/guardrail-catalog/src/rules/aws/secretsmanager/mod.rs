//! AWS Secrets Manager rules.

pub mod secretsmanager_rotation_interval;
pub mod secretsmanager_secret_customer_managed_key;
pub mod secretsmanager_secret_policy_not_public;
pub mod secretsmanager_secret_recovery_window;
pub mod secretsmanager_secret_rotation_enabled;
