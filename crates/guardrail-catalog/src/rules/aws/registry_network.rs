//! Registry group: S3, EC2/EBS, VPC, ELB, CloudFront.

#[allow(unused_imports, reason = "rules are listed here as they are written")]
use super::*;
use crate::rule::RuleSpec;

/// The group's rules, in declared order.
pub static RULES: &[&RuleSpec] = &[
    &s3::s3_bucket_server_side_encryption::RULE,
    &s3::s3_bucket_encryption_uses_kms::RULE,
    &s3::s3_bucket_public_access_block::RULE,
    &s3::s3_public_access_block_settings::RULE,
    &s3::s3_account_public_access_block::RULE,
    &s3::s3_bucket_versioning_enabled::RULE,
    &s3::s3_bucket_access_logging::RULE,
    &s3::s3_bucket_tls_only::RULE,
    &s3::s3_bucket_acl_not_public::RULE,
    &s3::s3_bucket_policy_not_public::RULE,
    &s3::s3_bucket_mfa_delete::RULE,
    &s3::s3_bucket_object_lock::RULE,
    &s3::s3_bucket_ownership_enforced::RULE,
    &ec2::ec2_instance_imdsv2_required::RULE,
    &ec2::ec2_launch_template_imdsv2_required::RULE,
    &ec2::ec2_instance_no_public_ip::RULE,
    &ec2::ec2_launch_template_no_public_ip::RULE,
    &ec2::ebs_volume_encrypted::RULE,
    &ec2::ec2_instance_root_volume_encrypted::RULE,
    &ec2::ec2_instance_ebs_volumes_encrypted::RULE,
    &ec2::ec2_launch_template_volumes_encrypted::RULE,
    &ec2::ec2_instance_detailed_monitoring::RULE,
    &ec2::ec2_launch_template_detailed_monitoring::RULE,
    &ec2::ebs_snapshot_block_public_access::RULE,
    &ec2::ebs_encryption_by_default::RULE,
    &ec2::ec2_user_data_no_secrets::RULE,
    &ec2::ec2_instance_ebs_delete_on_termination::RULE,
    &ec2::security_group_no_rule_management_conflicts::RULE,
    &ec2::security_group_database_port_open_to_world::RULE,
    &ec2::security_group_all_ports_open_to_world::RULE,
    &ec2::security_group_rule_description::RULE,
    &ec2::security_group_egress_open_to_world::RULE,
    &ec2::ec2_ami_not_public::RULE,
    &ec2::ec2_image_block_public_access::RULE,
    &ec2::ec2_instance_iam_profile::RULE,
];
