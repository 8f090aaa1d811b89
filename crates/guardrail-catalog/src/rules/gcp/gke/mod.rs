//! Google Kubernetes Engine rules.

pub mod gke_binary_authorization;
pub mod gke_deletion_protection;
pub mod gke_intranode_visibility;
pub mod gke_legacy_abac_disabled;
pub mod gke_logging_enabled;
pub mod gke_master_authorized_networks;
pub mod gke_monitoring_enabled;
pub mod gke_network_policy;
pub mod gke_no_basic_auth;
pub mod gke_no_client_certificate;
pub mod gke_no_kubernetes_alpha;
pub mod gke_node_auto_repair;
pub mod gke_node_auto_upgrade;
pub mod gke_node_cos_image;
pub mod gke_node_integrity_monitoring;
pub mod gke_node_legacy_metadata_endpoints;
pub mod gke_node_metadata_server;
pub mod gke_node_secure_boot;
pub mod gke_node_service_account;
pub mod gke_private_nodes;
pub mod gke_release_channel;
pub mod gke_secrets_encryption;
pub mod gke_shielded_nodes;
pub mod gke_workload_identity;
