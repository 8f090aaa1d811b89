//! EC2, EBS and security group rules.

pub mod ebs_encryption_by_default;
pub mod ebs_snapshot_block_public_access;
pub mod ebs_volume_encrypted;
pub mod ec2_ami_not_public;
pub mod ec2_image_block_public_access;
pub mod ec2_instance_detailed_monitoring;
pub mod ec2_instance_ebs_delete_on_termination;
pub mod ec2_instance_ebs_volumes_encrypted;
pub mod ec2_instance_iam_profile;
pub mod ec2_instance_imdsv2_required;
pub mod ec2_instance_no_public_ip;
pub mod ec2_instance_root_volume_encrypted;
pub mod ec2_launch_template_detailed_monitoring;
pub mod ec2_launch_template_imdsv2_required;
pub mod ec2_launch_template_no_public_ip;
pub mod ec2_launch_template_volumes_encrypted;
pub mod ec2_user_data_no_secrets;
pub mod security_group_admin_port_open_to_world;
pub mod security_group_all_ports_open_to_world;
pub mod security_group_database_port_open_to_world;
pub mod security_group_egress_open_to_world;
pub mod security_group_no_rule_management_conflicts;
pub mod security_group_rule_description;
