//! Cloud SQL rules.

pub mod sql_instance_automated_backups;
pub mod sql_instance_customer_managed_key;
pub mod sql_instance_deletion_protection;
pub mod sql_instance_high_availability;
pub mod sql_instance_no_public_ip;
pub mod sql_instance_no_world_authorized_network;
pub mod sql_instance_point_in_time_recovery;
pub mod sql_instance_requires_ssl;
pub mod sql_mysql_local_infile_off;
pub mod sql_mysql_skip_show_database;
pub mod sql_postgres_log_connections;
pub mod sql_postgres_log_disconnections;
pub mod sql_postgres_log_error_verbosity;
pub mod sql_postgres_log_min_duration_statement_off;
pub mod sql_postgres_log_min_error_statement;
pub mod sql_postgres_log_statement;
pub mod sql_postgres_pgaudit;
pub mod sql_sqlserver_contained_database_authentication_off;
pub mod sql_sqlserver_cross_db_ownership_chaining_off;
pub mod sql_sqlserver_external_scripts_off;
pub mod sql_sqlserver_remote_access_off;
pub mod sql_sqlserver_trace_flag_3625;
pub mod sql_sqlserver_user_options_unset;
