//! Azure App Service and Functions rules.

pub mod app_service_authentication;
pub mod app_service_client_certificates;
pub mod app_service_cors_no_wildcard;
pub mod app_service_ftp_basic_auth_disabled;
pub mod app_service_ftp_disabled;
pub mod app_service_http2;
pub mod app_service_http_logs;
pub mod app_service_https_only;
pub mod app_service_managed_identity;
pub mod app_service_minimum_tls_1_2;
pub mod app_service_public_network_access_disabled;
pub mod app_service_remote_debugging_off;
pub mod app_service_scm_minimum_tls_1_2;
pub mod app_service_webdeploy_basic_auth_disabled;
