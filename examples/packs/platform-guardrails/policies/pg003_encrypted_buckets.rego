# METADATA
# title: Stacks with the platform component encrypt every S3 bucket
# description: >-
#   When a stack contains the configured component type (by default any `Microservice`
#   component), every S3 bucket in it must have server-side encryption, inline or through a
#   separate encryption configuration resource that refers to it. The Rego counterpart of the
#   built-in PLATFORM-002.
# custom:
#   id: PG-003
#   name: encrypted-buckets
#   severity: high
#   enforcement: mandatory
#   kind: stack
#   vendor: platform
#   services: [components, s3]
#   topics: [encryption, data-protection]
#   resource_types:
#     - aws_s3_bucket
#     - aws:s3/bucket:Bucket
#     - aws:s3/bucketV2:BucketV2
#     - aws_s3_bucket_server_side_encryption_configuration
#     - aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2
#     - aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration
#   remediation: >-
#     Add a bucket server-side encryption configuration resource for each bucket (or the inline
#     block on the bucket) with an `sse_algorithm` of `aws:kms` or `AES256`.
#   frameworks:
#     nist-800-53: [SC-28]
#     iso27001: [A.8.24]
#     hipaa: ["164.312(a)(2)(iv)"]
#   config:
#     type: object
#     properties:
#       componentType:
#         description: Type glob of the component whose presence requires encrypted buckets.
#         type: string
#         default: "*:*:Microservice"
package platform_guardrails.encrypted_buckets

import data.platform_guardrails.lib

glob := data.config.componentType

# The first resource of the component type; without one the policy passes.
component := [r | some r in input.resources; lib.glob_match(glob, r.type)][0]

bucket_types := {"aws_s3_bucket", "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"}

config_types := {
	"aws_s3_bucket_server_side_encryption_configuration",
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
	"aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
}

# Managed buckets and encryption configurations, in stack order (data sources are not the stack's;
# deleted resources are not in `input.resources`).
buckets := [r | some r in input.resources; r.mode == "managed"; r.type in bucket_types]

configs := [r | some r in input.resources; r.mode == "managed"; r.type in config_types]

# Whether something is encrypted: "yes", "no", or ["unknown", path] when it depends on a value
# known only after apply.
algorithm(obj, path, shown) := "yes" if {
	v := lib.value(obj, path)
	is_string(v)
	trim_space(v) != ""
} else := ["unknown", shown] if {
	lib.unknown(obj, path)
} else := "no"

# Any "yes" wins; otherwise the first unknown; otherwise "no".
any_of(results) := "yes" if {
	"yes" in results
} else := unknowns[0] if {
	unknowns := [r | some r in results; is_array(r)]
	count(unknowns) > 0
} else := "no"

# Inline encryption on the bucket; provider v6 `BucketV2` spells the blocks as plural lists.
inline_paths := [
	"serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault.sseAlgorithm",
	"serverSideEncryptionConfigurations.rules.applyServerSideEncryptionByDefaults.sseAlgorithm",
]

inline(bucket) := any_of([algorithm(bucket.props, p, lib.spelled(bucket.spelling, p)) | some p in inline_paths])

# Whether an encryption configuration's rules set an algorithm.
sets_algorithm(config) := any_of([r | some key in ["rule", "rules"]; some r in rule_results(config, key)])

rule_results(config, key) := [["unknown", lib.spelled(config.spelling, key)]] if {
	lib.unknown(config.props, key)
} else := [r |
	some i, rule in lib.items(lib.value(config.props, key))
	path := sprintf("%s[%d].applyServerSideEncryptionByDefault.sseAlgorithm", [key, i])
	r := algorithm(rule, "applyServerSideEncryptionByDefault.sseAlgorithm", lib.spelled(config.spelling, path))
]

# What ties a configuration to a bucket: its known `bucket` value, or the buckets its `bucket`
# property comes from (property dependencies: Pulumi's, or in Terraform plans the references of
# the `bucket` argument). Never other dependencies (`depends_on`, other arguments).
target(config) := t if {
	t := lib.value(config.props, "bucket")
	is_string(t)
}

bucket_dependencies(config) := [deps |
	some key, deps in config.property_dependencies
	lower(key) == "bucket"
][0]

config_keys(config) := keys if {
	deps := bucket_dependencies(config)
	keys := {k | k := target(config)} | {d | some d in deps; is_string(d)}
} else := {target(config)} if {
	target(config)
} else := set()

# A bucket is known by its `bucket` name, its `id` and its resource id.
bucket_names(bucket) := names if {
	known := {n | some key in ["bucket", "id"]; n := lib.value(bucket.props, key); is_string(n)}
	names := known | {bucket.id}
}

# The configurations by each key that ties them to a bucket, so that the policy stays linear in
# the size of the stack ...
configs_by_key[key] contains i if {
	some i, config in configs
	some key in config_keys(config)
}

# ... and those that refer to a bucket, in stack order.
referring(bucket) := [configs[i] | some i in sort({j | some name in bucket_names(bucket); some j in configs_by_key[name]})]

# A bucket's encryption: inline first, then each configuration that refers to it, in order.
encryption(bucket) := any_of(array.concat([inline(bucket)], [sets_algorithm(c) | some c in referring(bucket)]))

# Each bucket's encryption, by resource id, computed once.
encryption_of[bucket.id] := encryption(bucket) if some bucket in buckets

deny contains {"msg": msg, "path": inline_property, "resource": bucket.id} if {
	component
	some bucket in buckets
	encryption_of[bucket.id] == "no"
	inline_property := lib.spelled(bucket.spelling, "serverSideEncryptionConfiguration")
	msg := sprintf(
		"S3 bucket `%s` has no server-side encryption, and this stack runs the component `%s` (`%s`, matching `%s`), whose buckets must be encrypted: add %s for it, or set `%s` on the bucket",
		[bucket.name, component.name, component.type, glob, separate[bucket.spelling], inline_property],
	)
}

separate := {
	"pulumi": "an `aws.s3.BucketServerSideEncryptionConfigurationV2`",
	"terraform": "an `aws_s3_bucket_server_side_encryption_configuration`",
}

# A bucket whose encryption is known only after apply makes the outcome indeterminate, unless
# another bucket already violates (guardrail reads `indeterminate` only when `deny` is empty).
indeterminate contains unknown[0] if {
	component
	unknown := [s[1] | some bucket in buckets; s := encryption_of[bucket.id]; is_array(s)]
}

deny contains lib.fail(sprintf("config `componentType` must be a string, not `%s`", [json.marshal(glob)])) if {
	not is_string(glob)
}
