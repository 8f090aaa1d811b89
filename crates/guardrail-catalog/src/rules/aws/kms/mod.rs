//! AWS Key Management Service rules.

pub mod kms_key_deletion_window;
pub mod kms_key_policy_lockout_check;
pub mod kms_key_policy_not_public;
pub mod kms_key_rotation_enabled;
