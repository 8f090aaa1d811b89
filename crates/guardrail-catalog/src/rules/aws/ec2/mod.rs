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

use guardrail_core::{Halt, ResourceView, Value, Verdict, Violation};

use crate::support::{at, read, show, with};

/// Whether an account-level block-public-access setting's `state` is `want`, with the state.
fn blocked<'a>(view: ResourceView<'a>, want: &str) -> Result<(bool, Option<&'a Value>), Halt> {
    let state = read(view, "state")?;
    Ok((state.and_then(Value::as_str) == Some(want), state))
}

/// The verdict of a rule that a block-public-access setting's `state` is `want`: a violation
/// `{what} \`name\` is {state}, not \`want\`` at the state otherwise.
pub(crate) fn block_public_access_verdict(
    view: ResourceView<'_>,
    want: &str,
    what: &str,
) -> Result<Verdict, Halt> {
    let (ok, state) = blocked(view, want)?;
    if ok {
        return Ok(Verdict::Pass);
    }
    let shown = state.map_or_else(|| "no state".to_string(), show);
    Ok(Verdict::violation(
        Violation::new(format!(
            "{what} `{}` is {shown}, not `{want}`",
            view.resource.name
        ))
        .at(at(view, "state")),
    ))
}

/// The fix for [`block_public_access_verdict`]: the state set to `want`.
pub(crate) fn block_public_access_fix(
    view: ResourceView<'_>,
    want: &str,
) -> Result<Option<Value>, Halt> {
    if blocked(view, want)?.0 {
        return Ok(None);
    }
    Ok(Some(with(view, "state", Value::string(want))))
}
