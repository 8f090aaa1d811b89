package platform_guardrails.department_tag_test

import data.platform_guardrails.department_tag

config := {"tags": {"Department": "unassigned"}}

bucket(props) := {
	"type": "aws_s3_bucket",
	"name": "logs",
	"mode": "managed",
	"spelling": "terraform",
	"props": props,
	"unknown": [],
}

test_a_missing_tag_is_denied if {
	denied := department_tag.deny with input as bucket({"tags": {"Owner": "team-a"}}) with data.config as config
	denied == {{"msg": "`logs` (aws_s3_bucket) is missing the required tag `Department`", "path": "tags.Department"}}
}

test_the_fix_adds_the_tag_and_keeps_the_rest if {
	fixed := department_tag.remediate with input as bucket({"bucket": "b", "tags": {"Owner": "team-a"}}) with data.config as config
	fixed == {"bucket": "b", "tags": {"Owner": "team-a", "Department": "unassigned"}}
}

test_the_fix_keeps_the_spelling_of_the_tags_key if {
	queue := object.union(bucket({"Tags": {"department": "x"}}), {"type": "aws:sqs/queue:Queue", "spelling": "pulumi"})
	fixed := department_tag.remediate with input as queue with data.config as config
	fixed == {"Tags": {"department": "x", "Department": "unassigned"}}
}

test_tagged_resources_pass if {
	tagged := bucket({"tags": {"Department": "payments"}})
	count(department_tag.deny) == 0 with input as tagged with data.config as config
	not department_tag.remediate with input as tagged with data.config as config
}

test_provider_default_tags_count if {
	count(department_tag.deny) == 0 with input as bucket({"tags": null, "tags_all": {"Department": "payments"}}) with data.config as config
}

test_unknown_tags_are_indeterminate if {
	department_tag.indeterminate == {"tags"} with input as bucket({"tags": "(known after apply)"}) with data.config as config
	department_tag.indeterminate == {"tags_all"} with input as bucket({"tags": {}, "tags_all": "(known after apply)"}) with data.config as config
	count(department_tag.deny) == 0 with input as bucket({"tags": {}, "tags_all": "(known after apply)"}) with data.config as config
}

test_what_does_not_take_tags_is_not_applicable if {
	policy := object.union(bucket({"policy": "{}"}), {"type": "aws_s3_bucket_policy"})
	department_tag.not_applicable == "`aws_s3_bucket_policy` takes no tags" with input as policy with data.config as config
	component := object.union(bucket({"tags": {}}), {"mode": "component"})
	department_tag.not_applicable == "not a managed resource" with input as component with data.config as config
	asg := object.union(bucket({"tags": [{"key": "Department", "value": "x"}]}), {"type": "aws_autoscaling_group"})
	department_tag.not_applicable == "`tags` is not a map of tags" with input as asg with data.config as config
}

test_several_required_tags if {
	cfg := {"tags": {"Department": "unassigned", "cost-center": "0000", "kubernetes.io/team": "none"}}
	denied := department_tag.deny with input as bucket({"tags": {}}) with data.config as cfg
	{v.path | some v in denied} == {"tags.Department", "tags.cost-center", `tags["kubernetes.io/team"]`}
}

# (A configuration the policy cannot read makes `deny` and `remediate` fail with a policy error;
# evaluating any rule of the package then fails, so the fixtures test it, not a unit test.)
test_a_good_config_is_no_problem if {
	not department_tag.config_problem with data.config as config
}
