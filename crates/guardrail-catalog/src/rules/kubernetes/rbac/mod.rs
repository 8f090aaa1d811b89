//! RBAC: Roles, ClusterRoles and their bindings.

pub mod rbac_no_anonymous_subjects;
pub mod rbac_no_cluster_admin_binding;
pub mod rbac_no_csr_approval;
pub mod rbac_no_default_service_account_binding;
pub mod rbac_no_escalation_verbs;
pub mod rbac_no_node_proxy;
pub mod rbac_no_persistent_volume_creation;
pub mod rbac_no_pod_creation;
pub mod rbac_no_pod_exec;
pub mod rbac_no_secret_read;
pub mod rbac_no_system_masters;
pub mod rbac_no_token_creation;
pub mod rbac_no_webhook_changes;
pub mod rbac_no_wildcards;
