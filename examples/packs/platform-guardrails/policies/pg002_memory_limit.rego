# METADATA
# title: Components stay within the platform's memory limit
# description: >-
#   Resources of a configured component type (by default any `Microservice` component) must
#   not ask for more memory than the configured limit. Advisory: the finding informs, it does
#   not block. The Rego counterpart of the built-in PLATFORM-001.
# custom:
#   id: PG-002
#   name: memory-limit
#   severity: medium
#   enforcement: advisory
#   vendor: platform
#   services: [components]
#   topics: [cost, capacity]
#   remediation: >-
#     Lower the component's memory to the limit, or ask the platform team to raise the limit
#     for this stack.
#   config:
#     type: object
#     properties:
#       componentType:
#         description: Type glob of the component to check (`*` and `?`).
#         type: string
#         default: "*:*:Microservice"
#       memoryProperty:
#         description: Property path that holds the memory size.
#         type: string
#         default: memory
#       limit:
#         description: Largest memory allowed, e.g. `512Mi`, `1Gi`, `2G`.
#         type: [string, number]
#         default: 1Gi
package platform_guardrails.memory_limit

import data.platform_guardrails.lib

glob := data.config.componentType

property := data.config.memoryProperty

# Every resource is looked at (no `resource_types`); the policy applies to the matching ones.
applies if lib.glob_match(glob, input.type)

not_applicable := sprintf("not a `%s` component", [glob]) if {
	is_string(glob)
	not applies
}

# The limit in bytes, and as written in messages.
limit := [bytes, data.config.limit] if {
	is_string(data.config.limit)
	bytes := lib.parse_size(data.config.limit)
} else := [data.config.limit, sprintf("%v bytes", [data.config.limit])] if {
	is_number(data.config.limit)
	data.config.limit >= 0
}

# The memory the resource asks for; undefined when it has none (the component's default
# applies: a pass) or when it is known only after apply.
memory := lib.value(input.props, property)

# The memory as the message shows it: a string trimmed, a number of bytes.
shown(m) := trim_space(m) if {
	is_string(m)
} else := sprintf("%s bytes", [json.marshal(m)])

deny contains {"msg": msg, "path": property} if {
	applies
	limit
	bytes := lib.size_of(memory)
	bytes > limit[0]
	msg := sprintf("component `%s` asks for %s of memory (%s), above the limit of %s", [input.name, shown(memory), property, limit[1]])
}

deny contains {"msg": msg, "path": property} if {
	applies
	limit
	value := memory
	not lib.size_of(value)
	msg := sprintf(
		"component `%s` has %s %s, which is not a memory size: use bytes or a number with a unit such as 512Mi or 1Gi",
		[input.name, property, lib.show(value)],
	)
}

# The value is known only after apply: neither pass nor violation.
indeterminate contains property if {
	applies
	lib.unknown(input.props, property)
}

# A configuration the policy cannot read is a policy error, as in the native rule.
deny contains lib.fail(sprintf("config `componentType` must be a string, not `%s`", [json.marshal(glob)])) if {
	not is_string(glob)
}

deny contains lib.fail(msg) if {
	applies
	not limit
	msg := sprintf(
		"config `limit` is %s, which is not a memory size: use bytes or a number with a unit such as 512Mi or 1Gi",
		[lib.show(data.config.limit)],
	)
}

deny contains lib.fail(sprintf("config `memoryProperty` must be a string, not `%s`", [json.marshal(property)])) if {
	applies
	not is_string(property)
}
