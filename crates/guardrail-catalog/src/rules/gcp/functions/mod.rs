//! Cloud Functions rules.

pub mod functions_dedicated_service_account;
pub mod functions_https_only;
pub mod functions_ingress_restricted;
pub mod functions_no_plain_secrets_in_env;
pub mod functions_not_public;
