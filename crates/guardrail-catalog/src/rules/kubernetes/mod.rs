//! Kubernetes rules: workloads (every kind that embeds a pod template), RBAC, network
//! exposure, service accounts and secrets, in the Pulumi/manifest and Terraform spellings.

// Registry group (see `rules::GROUPS`).
pub mod registry_kubernetes;

pub mod image;
pub mod ingress;
pub mod namespace;
pub mod network;
pub mod pod;
pub mod probe;
pub mod rbac;
pub mod resources;
pub mod secret;
pub mod service;
pub mod serviceaccount;
pub mod workload;
