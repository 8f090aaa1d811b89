package platform_guardrails.lib_test

import data.platform_guardrails.lib

terraform_deployment := {"spec": [{"template": [{"spec": [{"container": [{
	"name": "api",
	"resources": [{"limits": {"cpu": "500m", "memory": "4Gi"}}],
}]}]}]}]}

test_paths_read_both_spellings if {
	lib.value({"serverSideEncryptionConfiguration": {"rule": {"sseAlgorithm": "AES256"}}}, "serverSideEncryptionConfiguration.rule.sseAlgorithm") == "AES256"
	lib.value({"server_side_encryption_configuration": [{"rule": [{"sse_algorithm": "AES256"}]}]}, "serverSideEncryptionConfiguration.rule.sseAlgorithm") == "AES256"
	lib.value(terraform_deployment, "spec.template.spec.container.resources.limits.memory") == "4Gi"
}

test_exact_keys_win if {
	lib.value({"tags": {"a": "1"}, "Tags": {"b": "2"}}, "Tags") == {"b": "2"}
	lib.value({"Tags": {"b": "2"}}, "tags") == {"b": "2"}
}

test_indices if {
	lib.value({"ingress": [{"port": 22}, {"port": 443}]}, "ingress[1].port") == 443
	lib.value({"ingress": [{"port": 22}, {"port": 443}]}, "ingress.0.port") == 22
	lib.missing({"ingress": [{"port": 22}, {"port": 443}]}, "ingress.port")
}

test_missing_and_null if {
	lib.missing({}, "memory")
	lib.missing({"memory": null}, "memory")
	lib.missing({"a": "text"}, "a.b")
	lib.has({"enabled": false}, "enabled")
	lib.value({"enabled": false}, "enabled") == false
}

test_builtins_read_both_spellings if {
	guardrail.prop({"deletionProtection": true}, "deletion_protection") == true
	guardrail.prop({"deletion_protection": false}, "deletionProtection") == false
	guardrail.path({"versioning": {"enabled": true}}, "versioning.enabled") == true
	guardrail.path({"versioning": [{"enabled": true}]}, "versioning.enabled") == true
	not guardrail.prop({"deletionProtection": lib.unknown_value}, "deletion_protection")
	guardrail.unknown({"deletionProtection": lib.unknown_value}, "deletion_protection")
	not guardrail.unknown({"deletion_protection": true}, "deletionProtection")
}

test_unknown_values if {
	lib.unknown({"memory": lib.unknown_value}, "memory")
	lib.unknown({"sse": lib.unknown_value}, "sse.rule.algorithm")
	lib.unknown({"sse": [lib.unknown_value]}, "sse.rule")
	not lib.has({"memory": lib.unknown_value}, "memory")
}

test_spelling if {
	lib.spelled("terraform", "serverSideEncryptionConfiguration") == "server_side_encryption_configuration"
	lib.spelled("pulumi", "tagsAll") == "tagsAll"
	lib.key_segment("Department") == ".Department"
	lib.key_segment("kubernetes.io/name") == `["kubernetes.io/name"]`
}

test_globs if {
	lib.glob_match("*:*:Microservice", "acme:index:Microservice")
	not lib.glob_match("*:*:Microservice", "acme:index:Database")
	lib.glob_match("svc_*", "svc_task")
	lib.glob_match("acme:?:Worker", "acme:x:Worker")
	lib.glob_match("aws:s3/bucket*", "aws:s3/bucketV2:BucketV2")
	not lib.glob_match("a.c", "abc")
	lib.glob_match("a**", "abc")
}

test_sizes if {
	lib.parse_size("1Gi") == 1073741824
	lib.parse_size("512Mi") == 536870912
	lib.parse_size("1.5Gi") == 1610612736
	lib.parse_size("2G") == 2000000000
	lib.parse_size("2 GB") == 2000000000
	lib.parse_size("100k") == 100000
	lib.parse_size("1024") == 1024
	lib.parse_size("007Ki") == 7168
	not lib.parse_size("lots")
	not lib.parse_size("1m")
	not lib.parse_size("-1Gi")
	not lib.parse_size("1.Gi")
	not lib.parse_size("")
	not lib.parse_size("Gi")
	lib.size_of(2147483648) == 2147483648
	not lib.size_of(-1)
	not lib.size_of(true)
}

test_integers if {
	lib.integer(22) == 22
	lib.integer("5432") == 5432
	lib.integer(" 080 ") == 80
	not lib.integer("http")
	not lib.integer(22.5)
}

test_messages if {
	lib.port_label(22) == "22 (ssh)"
	lib.port_label(8080) == "8080"
	lib.show("lots") == "`lots`"
	lib.show({"a": 1}) == "`{\"a\":1}`"
}
