//! Artifact Registry rules.

pub mod artifactregistry_iam_not_public;
pub mod artifactregistry_repository_cmek;
pub mod artifactregistry_vulnerability_scanning;
