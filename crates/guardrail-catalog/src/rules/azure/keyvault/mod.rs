//! Azure Key Vault rules.

pub mod key_vault_key_expires;
pub mod key_vault_key_hsm_backed;
pub mod key_vault_key_rotation_policy;
pub mod key_vault_network_default_deny;
pub mod key_vault_public_network_access_disabled;
pub mod key_vault_purge_protection;
pub mod key_vault_rbac_authorization;
pub mod key_vault_rsa_key_size;
pub mod key_vault_secret_content_type;
pub mod key_vault_secret_expires;
