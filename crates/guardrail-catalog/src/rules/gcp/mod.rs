//! Google Cloud rules (Terraform `google_*` and Pulumi `gcp:`).

// Registry group (see `rules::GROUPS`).
pub mod registry_gcp;

pub mod compute;
pub mod gke;
pub mod iam;
pub mod kms;
pub mod sql;
pub mod storage;
