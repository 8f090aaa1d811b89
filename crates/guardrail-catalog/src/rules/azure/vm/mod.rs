//! Azure Virtual Machines and managed disks rules.

pub mod managed_disk_customer_managed_key;
pub mod managed_disk_network_access_restricted;
pub mod managed_disk_public_network_access_disabled;
pub mod vm_boot_diagnostics;
pub mod vm_encryption_at_host;
pub mod vm_linux_password_authentication_disabled;
pub mod vm_managed_disks;
pub mod vm_secure_boot;
pub mod vm_vtpm_enabled;
pub mod vm_windows_automatic_updates;
