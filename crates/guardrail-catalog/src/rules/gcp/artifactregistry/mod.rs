//! Artifact Registry rules.

pub mod artifactregistry_iam_not_public;
