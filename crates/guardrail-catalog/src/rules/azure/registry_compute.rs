//! Registry group: Azure compute (AKS, App Service and Functions, VMs and disks, Container Registry).

use super::*;
use crate::rule::RuleSpec;

/// The group's rules, in declared order.
pub static RULES: &[&RuleSpec] = &[
    &aks::aks_rbac_enabled::RULE,
    &aks::aks_entra_integration::RULE,
    &aks::aks_local_accounts_disabled::RULE,
    &aks::aks_network_policy::RULE,
    &aks::aks_azure_policy_addon::RULE,
    &aks::aks_container_insights::RULE,
    &aks::aks_automatic_upgrades::RULE,
    &aks::aks_api_server_restricted::RULE,
    &appservice::app_service_https_only::RULE,
    &appservice::app_service_minimum_tls_1_2::RULE,
    &appservice::app_service_ftp_disabled::RULE,
    &appservice::app_service_managed_identity::RULE,
    &appservice::app_service_http2::RULE,
    &appservice::app_service_remote_debugging_off::RULE,
    &appservice::app_service_client_certificates::RULE,
    &appservice::app_service_public_network_access_disabled::RULE,
    &vm::vm_linux_password_authentication_disabled::RULE,
    &vm::vm_encryption_at_host::RULE,
    &vm::vm_secure_boot::RULE,
    &vm::managed_disk_customer_managed_key::RULE,
    &vm::managed_disk_network_access_restricted::RULE,
    &acr::container_registry_admin_user_disabled::RULE,
    &acr::container_registry_anonymous_pull_disabled::RULE,
    &acr::container_registry_public_network_access_disabled::RULE,
    &aks::aks_workload_identity::RULE,
    &aks::aks_disk_encryption_set::RULE,
    &aks::aks_node_host_encryption::RULE,
    &aks::aks_defender::RULE,
    &appservice::app_service_ftp_basic_auth_disabled::RULE,
    &appservice::app_service_webdeploy_basic_auth_disabled::RULE,
    &vm::vm_windows_automatic_updates::RULE,
    &vm::managed_disk_public_network_access_disabled::RULE,
    &acr::container_registry_export_disabled::RULE,
];
