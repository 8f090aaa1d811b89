//! Secrets: literal credentials, secrets in environment variables, ConfigMaps, long-lived tokens.

pub mod configmap_no_credentials;
pub mod container_no_literal_secrets;
pub mod container_secrets_as_files;
pub mod no_long_lived_service_account_tokens;
