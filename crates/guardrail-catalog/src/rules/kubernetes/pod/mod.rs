//! Pod security: the Pod Security Standards (Baseline and Restricted) and the CIS Kubernetes Benchmark section 5.2, on every workload kind.

pub mod pod_apparmor_not_unconfined;
pub mod pod_capabilities_baseline;
pub mod pod_capabilities_drop_all;
pub mod pod_capabilities_restricted;
pub mod pod_default_proc_mount;
pub mod pod_drop_net_raw;
pub mod pod_no_host_ipc;
pub mod pod_no_host_network;
pub mod pod_no_host_path_volumes;
pub mod pod_no_host_pid;
pub mod pod_no_host_ports;
pub mod pod_no_privilege_escalation;
pub mod pod_no_privileged_containers;
pub mod pod_no_root_group;
pub mod pod_no_root_user;
pub mod pod_no_runtime_socket;
pub mod pod_no_shared_process_namespace;
pub mod pod_no_sys_admin;
pub mod pod_no_windows_host_process;
pub mod pod_read_only_root_filesystem;
pub mod pod_restricted_volume_types;
pub mod pod_run_as_non_root;
pub mod pod_safe_sysctls;
pub mod pod_seccomp_not_unconfined;
pub mod pod_seccomp_restricted;
pub mod pod_selinux_options;
