package platform_guardrails.dangerous_ports_test

import data.platform_guardrails.dangerous_ports

config := {"ports": [22, 23, 3389, 5432, 3306]}

target_group(props) := {
	"type": "aws_lb_target_group",
	"name": "web",
	"spelling": "terraform",
	"props": props,
	"unknown": [],
}

test_ssh_is_denied if {
	denied := dangerous_ports.deny with input as target_group({"port": 22}) with data.config as config
	denied == {{"msg": "target group `web` listens on port 22 (ssh), an administrative port", "path": "port"}}
}

test_numeric_strings_are_ports if {
	count(dangerous_ports.deny) == 1 with input as target_group({"port": " 5432 "}) with data.config as config
}

test_application_ports_pass if {
	count(dangerous_ports.deny) == 0 with input as target_group({"port": 8080}) with data.config as config
	not dangerous_ports.not_applicable with input as target_group({"port": 8080}) with data.config as config
}

test_config_replaces_the_defaults if {
	count(dangerous_ports.deny) == 1 with input as target_group({"port": 8080}) with data.config as {"ports": [8080]}
	count(dangerous_ports.deny) == 0 with input as target_group({"port": 22}) with data.config as {"ports": [8080]}
}

test_lambda_targets_are_not_applicable if {
	dangerous_ports.not_applicable with input as target_group({"target_type": "lambda", "port": null}) with data.config as config
	count(dangerous_ports.deny) == 0 with input as target_group({"target_type": "lambda"}) with data.config as config
}

test_unknown_port_is_indeterminate if {
	unknown := target_group({"port": "(known after apply)"})
	dangerous_ports.indeterminate == {"port"} with input as unknown with data.config as config
	count(dangerous_ports.deny) == 0 with input as unknown with data.config as config
}

# (A port that is not a port number makes `deny` fail with a policy error; the fixtures test it.)
test_only_port_numbers_count if {
	dangerous_ports.port == 22 with input as target_group({"port": "22"})
	dangerous_ports.port == 65535 with input as target_group({"port": 65535})
	not dangerous_ports.config_port("ssh")
	not dangerous_ports.config_port(-1)
}
