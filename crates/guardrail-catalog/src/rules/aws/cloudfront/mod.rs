//! Amazon CloudFront rules.

pub mod cloudfront_access_logging;
pub mod cloudfront_default_root_object;
pub mod cloudfront_geo_restriction;
pub mod cloudfront_minimum_tls_version;
pub mod cloudfront_origin_failover;
pub mod cloudfront_origin_https;
pub mod cloudfront_origin_ssl_protocols;
pub mod cloudfront_s3_origin_access_control;
pub mod cloudfront_sni_only;
pub mod cloudfront_viewer_https_only;
pub mod cloudfront_waf_enabled;
