//! Cloud KMS rules.

pub mod kms_crypto_key_rotation;
pub mod kms_iam_not_public;
