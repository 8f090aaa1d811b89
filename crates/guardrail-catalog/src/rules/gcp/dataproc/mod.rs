//! Dataproc rules.

pub mod dataproc_cluster_cmek;
pub mod dataproc_cluster_internal_ip_only;
