//! Azure Cosmos DB rules.

pub mod cosmosdb_customer_managed_key;
pub mod cosmosdb_key_based_metadata_writes_disabled;
pub mod cosmosdb_local_auth_disabled;
pub mod cosmosdb_network_restricted;
