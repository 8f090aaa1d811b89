package platform_guardrails.memory_limit_test

import data.platform_guardrails.memory_limit

defaults := {"componentType": "*:*:Microservice", "memoryProperty": "memory", "limit": "1Gi"}

service(props) := {
	"type": "acme:index:Microservice",
	"name": "api",
	"mode": "component",
	"spelling": "pulumi",
	"props": props,
	"unknown": [],
}

test_above_the_limit_is_denied if {
	denied := memory_limit.deny with input as service({"memory": "2Gi"}) with data.config as defaults
	denied == {{
		"msg": "component `api` asks for 2Gi of memory (memory), above the limit of 1Gi",
		"path": "memory",
	}}
}

test_within_the_limit_passes if {
	count(memory_limit.deny) == 0 with input as service({"memory": "1Gi"}) with data.config as defaults
	count(memory_limit.deny) == 0 with input as service({"memory": "1G"}) with data.config as defaults
	count(memory_limit.deny) == 0 with input as service({}) with data.config as defaults
}

test_decimal_units_compare_in_bytes if {
	count(memory_limit.deny) == 1 with input as service({"memory": "1.1G"}) with data.config as defaults
	count(memory_limit.deny) == 1 with input as service({"memory": 1073741825}) with data.config as defaults
}

test_unreadable_sizes_are_denied if {
	denied := memory_limit.deny with input as service({"memory": "512m"}) with data.config as defaults
	some v in denied
	contains(v.msg, "has memory `512m`, which is not a memory size")
}

test_other_types_are_not_applicable if {
	db := object.union(service({"memory": "64Gi"}), {"type": "acme:index:Database"})
	memory_limit.not_applicable == "not a `*:*:Microservice` component" with input as db with data.config as defaults
	count(memory_limit.deny) == 0 with input as db with data.config as defaults
}

test_unknown_memory_is_indeterminate if {
	memory_limit.indeterminate == {"memory"} with input as service({"memory": "(known after apply)"}) with data.config as defaults
}

test_config_chooses_type_property_and_limit if {
	worker := object.union(service({"resources": [{"memory": "300Mi"}]}), {"type": "acme:jobs:Worker"})
	cfg := {"componentType": "acme:*:Worker", "memoryProperty": "resources.memory", "limit": "256Mi"}
	denied := memory_limit.deny with input as worker with data.config as cfg
	denied == {{
		"msg": "component `api` asks for 300Mi of memory (resources.memory), above the limit of 256Mi",
		"path": "resources.memory",
	}}
}

test_limits_in_bytes if {
	memory_limit.limit == [1048576, "1048576 bytes"] with data.config as {"limit": 1048576}
	memory_limit.limit == [536870912, "512Mi"] with data.config as {"limit": "512Mi"}
	not memory_limit.limit with data.config as {"limit": "a lot"}
}
