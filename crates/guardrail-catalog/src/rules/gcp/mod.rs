//! Google Cloud rules (Terraform `google_*` and Pulumi `gcp:`).

// Registry group (see `rules::GROUPS`).
pub mod registry_gcp;

pub mod artifactregistry;
pub mod bigquery;
pub mod compute;
pub mod dataproc;
pub mod dns;
pub mod functions;
pub mod gke;
pub mod iam;
pub mod kms;
pub mod logging;
pub mod pubsub;
pub mod redis;
pub mod run;
pub mod secretmanager;
pub mod sql;
pub mod storage;
