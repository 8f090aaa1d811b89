//! Service accounts and token mounting.

pub mod default_service_account_no_automount;
pub mod pod_no_default_service_account;
pub mod pod_no_token_automount;
