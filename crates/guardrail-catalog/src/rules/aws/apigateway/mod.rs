//! Amazon API Gateway rules.

pub mod apigateway_domain_tls12;
pub mod apigateway_endpoint_type;
pub mod apigateway_method_authorization;
pub mod apigateway_method_cached_and_encrypted;
pub mod apigateway_stage_access_logging;
pub mod apigateway_stage_cached;
pub mod apigateway_stage_client_certificate;
pub mod apigateway_stage_xray_tracing;
