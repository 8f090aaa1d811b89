//! Ingresses: TLS and controller configuration.

pub mod ingress_no_nginx_snippets;
pub mod ingress_tls;
