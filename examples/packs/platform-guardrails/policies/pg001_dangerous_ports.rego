# METADATA
# title: Load-balancer target groups do not forward to administrative ports
# description: >-
#   A load-balancer target group whose port is an administrative port (ssh, telnet, rdp,
#   database ports) publishes a management service through the load balancer. The Rego
#   counterpart of the built-in AWS-ELB-001.
# custom:
#   id: PG-001
#   name: dangerous-ports
#   severity: high
#   enforcement: mandatory
#   vendor: platform
#   services: [elb]
#   topics: [network, exposure]
#   resource_types:
#     - aws:lb/targetGroup:TargetGroup
#     - aws:alb/targetGroup:TargetGroup
#     - aws_lb_target_group
#     - aws_alb_target_group
#   remediation: >-
#     Point the target group at the application's port; reach administrative services through
#     a bastion, AWS Systems Manager Session Manager or a VPN.
#   frameworks:
#     nist-800-53: [CM-7, SC-7]
#   config:
#     type: object
#     properties:
#       ports:
#         description: Administrative ports a target group must not use.
#         type: array
#         items: {type: integer, minimum: 0, maximum: 65535}
#         default: [22, 23, 3389, 5432, 3306]
package platform_guardrails.dangerous_ports

import data.platform_guardrails.lib

# The target group's port as a port number, when it is one (`guardrail.prop` reads the key in
# either spelling, and is undefined when it is missing, null or known only after apply).
port := p if {
	p := lib.integer(guardrail.prop(input.props, "port"))
	p >= 0
	p <= 65535
}

# A target group without a port (Lambda targets have none) is not checked.
not_applicable := "the target group has no port (Lambda targets have none)" if {
	lib.missing(input.props, "port")
}

# The port is known only after apply: neither pass nor violation.
indeterminate contains "port" if guardrail.unknown(input.props, "port")

deny contains {"msg": msg, "path": lib.spelled(input.spelling, "port")} if {
	port in admin_ports
	msg := sprintf("target group `%s` listens on port %s, an administrative port", [input.name, lib.port_label(port)])
}

# The configured ports; a list with anything but port numbers is a policy error.
admin_ports := {p | some p in data.config.ports}

deny contains lib.fail(msg) if {
	port
	not is_array(data.config.ports)
	msg := sprintf("config `ports` must be a list of port numbers, not `%s`", [json.marshal(data.config.ports)])
}

deny contains lib.fail(msg) if {
	port
	some item in data.config.ports
	not config_port(item)
	msg := sprintf("config `ports` has `%s`, which is not a port number (0 to 65535)", [json.marshal(item)])
}

config_port(item) if {
	is_number(item)
	item == floor(item)
	item >= 0
	item <= 65535
}

# A port that is neither a number nor a numeric string is a policy error, as in the native rule.
deny contains lib.fail(msg) if {
	value := lib.value(input.props, "port")
	not port
	msg := sprintf("target group `%s` has port %s, which is not a port number", [input.name, lib.show(value)])
}
