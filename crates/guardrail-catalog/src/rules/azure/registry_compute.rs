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
];
