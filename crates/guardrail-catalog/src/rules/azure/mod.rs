//! Microsoft Azure rules: Terraform `azurerm_*`, Pulumi `azure:` (bridged from `azurerm`) and
//! Pulumi Azure Native (`azure-native:`).

pub mod registry_compute;
pub mod registry_data;
pub mod registry_network;

pub mod acr;
pub mod aks;
pub mod appservice;
pub mod cosmosdb;
pub mod keyvault;
pub mod monitor;
pub mod mysql;
pub mod network;
pub mod postgresql;
pub mod rbac;
pub mod sql;
pub mod storage;
pub mod vm;
