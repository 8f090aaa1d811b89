# METADATA
# title: Taggable resources carry a Department tag
# description: >-
#   Every taggable resource must carry the configured tags (by default `Department`); under
#   `remediate`, this policy's level, the missing tags are added with their configured default
#   values. The Rego counterpart of the built-in PLATFORM-003.
# custom:
#   id: PG-004
#   name: department-tag
#   severity: low
#   enforcement: remediate
#   vendor: platform
#   services: [tagging]
#   topics: [tagging, cost, ownership]
#   remediation: Add the missing tags to the resource's `tags`.
#   config:
#     type: object
#     properties:
#       tags:
#         description: Required tag keys, each with the value the fix sets.
#         type: object
#         additionalProperties: {type: string}
#         default: {Department: unassigned}
package platform_guardrails.department_tag

import data.platform_guardrails.lib

# Every resource is looked at (no `resource_types`); the policy applies to managed resources that
# take tags: those whose props have a `tags` key (Terraform plans list every attribute, `null`
# included), and the types known to take tags (Pulumi previews leave unset properties out).
applies if {
	input.mode == "managed"
	taggable
}

taggable if {
	some key, _ in input.props
	lower(key) == "tags"
}

taggable if input.type in taggable_types

# The configured tags (key: the value the fix sets), when the configuration can be read.
required := data.config.tags if not config_problem

config_problem := sprintf("config `tags` must be an object of tag key to default value, not `%s`", [json.marshal(data.config.tags)]) if {
	not is_object(data.config.tags)
} else := msg if {
	some key, value in data.config.tags
	not is_string(value)
	msg := sprintf("config `tags.%s` must be a string (the value the fix sets), not `%s`", [key, json.marshal(value)])
}

# The resource's tags: an object, or none; undefined when they are known only after apply or are
# not a map (the old autoscaling groups' list of tag blocks).
tags_found := lib.lookup(input.props, "tags")

tags := tags_found[1] if {
	tags_found[0] == "found"
	is_object(tags_found[1])
} else := {} if {
	tags_found[0] == "missing"
}

# The required keys the tags lack (keys compare exactly, as AWS compares them) ...
lacking := [key | some key, _ in required; not key in object.keys(t)] if {
	applies
	t := tags
}

# ... and of those, the ones the provider does not add either (`default_tags` show in `tags_all`).
absent := [key | some key in lacking; not key in object.keys(provider_tags)] if {
	all_found[0] != "unknown"
}

all_found := lib.lookup(input.props, "tagsAll")

provider_tags := all_found[1] if {
	all_found[0] == "found"
	is_object(all_found[1])
} else := {}

deny contains {"msg": msg, "path": concat("", ["tags", lib.key_segment(key)])} if {
	some key in absent
	msg := sprintf("`%s` (%s) is missing the required tag `%s`", [input.name, input.type, key])
}

# Tags known only after apply: neither pass nor violation.
indeterminate contains "tags" if {
	applies
	tags_found[0] == "unknown"
}

indeterminate contains lib.spelled(input.spelling, "tagsAll") if {
	count(lacking) > 0
	all_found[0] == "unknown"
}

not_applicable := "not a managed resource" if {
	input.mode != "managed"
} else := sprintf("`%s` takes no tags", [input.type]) if {
	not taggable
} else := "`tags` is not a map of tags" if {
	tags_found[0] == "found"
	not is_object(tags_found[1])
}

# The fixed props (under `remediate`, this policy's level, the fix runs before validation): the
# tags with each absent key set to its configured value, under the key the resource already
# spells `tags` with, everything else unchanged.
remediate := object.union(input.props, {tags_key: object.union(tags, additions)}) if {
	count(absent) > 0
	additions := {key: required[key] | some key in absent}
}

tags_key := "tags" if {
	"tags" in object.keys(input.props)
} else := key if {
	keys := [k | some k, _ in input.props; lib.fold(k) == "tags"]
	key := keys[0]
} else := "tags"

# A configuration the policy cannot read is a policy error, as in the native rule: in `deny`,
# and in `remediate`.
deny contains lib.fail(config_problem) if config_problem

remediate := lib.fail(config_problem) if config_problem

# Types that take tags (the native rule's list), in every spelling guardrail's type table knows.
taggable_types := {
	"aws_s3_bucket", "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2",
	"aws_s3_object", "aws:s3/bucketObjectv2:BucketObjectv2",
	"aws_s3_bucket_object", "aws:s3/bucketObject:BucketObject",
	"aws_instance", "aws:ec2/instance:Instance",
	"aws_launch_template", "aws:ec2/launchTemplate:LaunchTemplate",
	"aws_ebs_volume", "aws:ec2/volume:Volume", "aws:ebs/volume:Volume",
	"aws_security_group", "aws:ec2/securityGroup:SecurityGroup",
	"aws_default_security_group", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
	"aws_vpc_security_group_ingress_rule", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
	"aws_vpc_security_group_egress_rule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
	"aws_vpc", "aws:ec2/vpc:Vpc",
	"aws_subnet", "aws:ec2/subnet:Subnet",
	"aws_flow_log", "aws:ec2/flowLog:FlowLog",
	"aws_lb", "aws_alb", "aws:elasticloadbalancingv2/loadBalancer:LoadBalancer", "aws:applicationloadbalancing/loadBalancer:LoadBalancer", "aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer",
	"aws_lb_target_group", "aws_alb_target_group", "aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup", "aws:elasticloadbalancingv2/targetGroup:TargetGroup",
	"aws_lb_listener", "aws_alb_listener", "aws:elasticloadbalancingv2/listener:Listener", "aws:applicationloadbalancing/listener:Listener", "aws:lb/listener:Listener", "aws:alb/listener:Listener",
	"aws_elb", "aws:elasticloadbalancing/loadBalancer:LoadBalancer", "aws:elb/loadBalancer:LoadBalancer",
	"aws_db_instance", "aws:rds/instance:Instance",
	"aws_rds_cluster", "aws:rds/cluster:Cluster",
	"aws_dynamodb_table", "aws:dynamodb/table:Table",
	"aws_iam_role", "aws:iam/role:Role",
	"aws_iam_user", "aws:iam/user:User",
	"aws_iam_policy", "aws:iam/policy:Policy",
	"aws_kms_key", "aws:kms/key:Key",
	"aws_lambda_function", "aws:lambda/function:Function",
	"aws_ecs_task_definition", "aws:ecs/taskDefinition:TaskDefinition",
	"aws_eks_cluster", "aws:eks/cluster:Cluster",
	"aws_ecr_repository", "aws:ecr/repository:Repository",
	"aws_sns_topic", "aws:sns/topic:Topic",
	"aws_sqs_queue", "aws:sqs/queue:Queue",
	"aws_cloudtrail", "aws:cloudtrail/trail:Trail",
	"aws_cloudwatch_log_group", "aws:cloudwatch/logGroup:LogGroup",
	"aws_eip", "aws:ec2/eip:Eip",
	"aws_nat_gateway", "aws:ec2/natGateway:NatGateway",
	"aws_internet_gateway", "aws:ec2/internetGateway:InternetGateway",
	"aws_route_table", "aws:ec2/routeTable:RouteTable",
	"aws_network_interface", "aws:ec2/networkInterface:NetworkInterface",
	"aws_key_pair", "aws:ec2/keyPair:KeyPair",
	"aws_vpc_endpoint", "aws:ec2/vpcEndpoint:VpcEndpoint",
	"aws_rds_cluster_instance", "aws:rds/clusterInstance:ClusterInstance",
	"aws_db_subnet_group", "aws:rds/subnetGroup:SubnetGroup",
	"aws_elasticache_cluster", "aws:elasticache/cluster:Cluster",
	"aws_elasticache_replication_group", "aws:elasticache/replicationGroup:ReplicationGroup",
	"aws_efs_file_system", "aws:efs/fileSystem:FileSystem",
	"aws_secretsmanager_secret", "aws:secretsmanager/secret:Secret",
	"aws_ssm_parameter", "aws:ssm/parameter:Parameter",
	"aws_ecs_cluster", "aws:ecs/cluster:Cluster",
	"aws_ecs_service", "aws:ecs/service:Service",
	"aws_api_gateway_rest_api", "aws:apigateway/restApi:RestApi",
	"aws_cloudfront_distribution", "aws:cloudfront/distribution:Distribution",
	"aws_sfn_state_machine", "aws:sfn/stateMachine:StateMachine",
	"aws_kinesis_stream", "aws:kinesis/stream:Stream",
	"aws_route53_zone", "aws:route53/zone:Zone",
	"aws_acm_certificate", "aws:acm/certificate:Certificate",
	"azurerm_storage_account", "azure:storage/account:Account",
}
