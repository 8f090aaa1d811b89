//! Azure Key Vault rules.

pub mod key_vault_key_expires;
pub mod key_vault_network_default_deny;
pub mod key_vault_purge_protection;
pub mod key_vault_rbac_authorization;
pub mod key_vault_rsa_key_size;
pub mod key_vault_secret_expires;
