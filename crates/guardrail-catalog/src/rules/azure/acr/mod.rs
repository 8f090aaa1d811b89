//! Azure Container Registry rules.

pub mod container_registry_admin_user_disabled;
pub mod container_registry_anonymous_pull_disabled;
pub mod container_registry_export_disabled;
pub mod container_registry_public_network_access_disabled;
pub mod container_registry_quarantine;
pub mod container_registry_untagged_retention;
pub mod container_registry_zone_redundant;
