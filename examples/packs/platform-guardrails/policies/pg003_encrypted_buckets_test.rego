package platform_guardrails.encrypted_buckets_test

import data.platform_guardrails.encrypted_buckets

config := {"componentType": "*:*:Microservice"}

resource(type, name, props) := {
	"id": concat("::", ["urn:pulumi:test::fixtures", type, name]),
	"type": type,
	"name": name,
	"mode": "managed",
	"spelling": "pulumi",
	"props": props,
	"dependencies": [],
	"property_dependencies": {},
}

service := object.union(resource("acme:index:Microservice", "api", {}), {"mode": "component"})

bucket(name, props) := resource("aws:s3/bucketV2:BucketV2", name, props)

sse(name, props) := resource("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", name, props)

stack(resources) := {"kind": "stack", "resources": resources}

kms := [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}]

test_an_unencrypted_bucket_beside_the_component_is_denied if {
	uploads := bucket("uploads", {"bucket": "uploads-1"})
	denied := encrypted_buckets.deny with input as stack([service, uploads]) with data.config as config
	count(denied) == 1
	some finding in denied
	finding.resource == uploads.id
	finding.path == "serverSideEncryptionConfiguration"
	startswith(finding.msg, "S3 bucket `uploads` has no server-side encryption, and this stack runs the component `api`")
}

test_without_the_component_buckets_are_not_checked if {
	count(encrypted_buckets.deny) == 0 with input as stack([bucket("uploads", {})]) with data.config as config
}

test_inline_encryption_passes if {
	encrypted := bucket("uploads", {"serverSideEncryptionConfiguration": {"rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}}})
	count(encrypted_buckets.deny) == 0 with input as stack([service, encrypted]) with data.config as config
}

test_a_configuration_naming_the_bucket_passes if {
	resources := [service, bucket("uploads", {"bucket": "uploads-1"}), sse("uploads-sse", {"bucket": "uploads-1", "rules": kms})]
	count(encrypted_buckets.deny) == 0 with input as stack(resources) with data.config as config
}

test_a_configuration_depending_on_the_bucket_passes if {
	uploads := bucket("uploads", {})
	config_resource := object.union(
		sse("uploads-sse", {"bucket": "(known after apply)", "rules": kms}),
		{"property_dependencies": {"bucket": [uploads.id]}},
	)
	count(encrypted_buckets.deny) == 0 with input as stack([service, uploads, config_resource]) with data.config as config
}

test_a_configuration_without_an_algorithm_does_not_encrypt if {
	resources := [service, bucket("uploads", {"bucket": "uploads-1"}), sse("sse", {"bucket": "uploads-1", "rules": [{"bucketKeyEnabled": true}]})]
	count(encrypted_buckets.deny) == 1 with input as stack(resources) with data.config as config
}

test_unknown_encryption_is_indeterminate if {
	resources := [service, bucket("uploads", {"serverSideEncryptionConfiguration": "(known after apply)"})]
	count(encrypted_buckets.deny) == 0 with input as stack(resources) with data.config as config
	encrypted_buckets.indeterminate == {"serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault.sseAlgorithm"} with input as stack(resources) with data.config as config
}

test_any_of_prefers_yes_then_the_first_unknown if {
	encrypted_buckets.any_of(["no", ["unknown", "a"], "yes"]) == "yes"
	encrypted_buckets.any_of(["no", ["unknown", "a"], ["unknown", "b"]]) == ["unknown", "a"]
	encrypted_buckets.any_of(["no"]) == "no"
	encrypted_buckets.any_of([]) == "no"
}
