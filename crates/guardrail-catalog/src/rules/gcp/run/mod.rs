//! Cloud Run rules.

pub mod run_service_binary_authorization;
pub mod run_service_dedicated_service_account;
pub mod run_service_ingress_restricted;
pub mod run_service_no_plain_secrets_in_env;
pub mod run_service_not_public;
