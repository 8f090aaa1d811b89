//! Secret Manager rules.

pub mod secretmanager_iam_not_public;
