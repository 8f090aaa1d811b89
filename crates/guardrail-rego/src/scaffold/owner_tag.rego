# METADATA
# title: Resources name an owner
# description: Every bucket and instance carries an `owner` tag, so that someone answers for it.
# custom:
#   id: __PREFIX__-003
#   severity: low
#   enforcement: remediate
#   resource_types: [aws:s3/bucket:Bucket, aws_s3_bucket, aws:ec2/instance:Instance, aws_instance]
#   remediation: Add an `owner` tag naming the team.
#   topics: [tagging]
#   config:
#     type: object
#     properties:
#       owner: {type: string, default: platform-team}
package __PKG__.owner_tag

# The tags in either spelling (`guardrail.path` follows a dotted path the same way).
tags := t if {
	t := guardrail.prop(input.props, "tags")
	is_object(t)
} else := {}

deny contains msg if {
	not tags.owner
	msg := sprintf("`%s` has no `owner` tag", [input.name])
}

# The fixed props: the resource's props with the tag added.
remediate := object.union(input.props, {"tags": object.union(tags, {"owner": data.config.owner})}) if {
	not tags.owner
}
