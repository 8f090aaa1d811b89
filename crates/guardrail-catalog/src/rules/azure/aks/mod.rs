//! Azure Kubernetes Service rules.

pub mod aks_api_server_restricted;
pub mod aks_automatic_upgrades;
pub mod aks_azure_policy_addon;
pub mod aks_azure_rbac_authorization;
pub mod aks_container_insights;
pub mod aks_defender;
pub mod aks_disk_encryption_set;
pub mod aks_entra_integration;
pub mod aks_image_cleaner;
pub mod aks_local_accounts_disabled;
pub mod aks_network_policy;
pub mod aks_node_host_encryption;
pub mod aks_nodes_no_public_ip;
pub mod aks_rbac_enabled;
pub mod aks_run_command_disabled;
pub mod aks_secrets_provider_rotation;
pub mod aks_sku_tier_standard;
pub mod aks_workload_identity;
