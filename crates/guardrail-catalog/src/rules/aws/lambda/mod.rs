//! AWS Lambda rules.

pub mod lambda_dead_letter_queue;
pub mod lambda_environment_cmk_encryption;
pub mod lambda_function_in_vpc;
pub mod lambda_function_url_auth;
pub mod lambda_permission_not_public;
pub mod lambda_reserved_concurrency;
pub mod lambda_runtime_supported;
pub mod lambda_tracing_enabled;
