# The benchmark's Rego guardrails: the rules whose violations the generator counts, written over
# a Terraform plan (`terraform show -json`) as conftest reads it. OPA and guardrail's Rego packs
# run this same file; each `deny` entry names the rule and the resource address.
package main

import rego.v1

admin_ports := {22, 23, 3389, 5432, 3306}

changes contains rc if {
	some rc in input.resource_changes
	rc.mode == "managed"
	not "delete" in rc.change.actions
}

world(cidr) if cidr == "0.0.0.0/0"

world(cidr) if cidr == "::/0"

covers_admin(from, to) if {
	some p in admin_ports
	from <= p
	p <= to
}

# AWS-S3-001: a bucket needs a server-side encryption configuration that refers to it.
encrypted_buckets contains ref if {
	some r in input.configuration.root_module.resources
	r.type == "aws_s3_bucket_server_side_encryption_configuration"
	some ref in r.expressions.bucket.references
}

deny contains {"rule": "AWS-S3-001", "resource": rc.address} if {
	some rc in changes
	rc.type == "aws_s3_bucket"
	not rc.address in encrypted_buckets
}

# AWS-EC2-001: administrative ports open to the internet.
deny contains {"rule": "AWS-EC2-001", "resource": rc.address} if {
	some rc in changes
	rc.type == "aws_security_group"
	some rule in rc.change.after.ingress
	covers_admin(rule.from_port, rule.to_port)
	some cidr in array.concat(object.get(rule, "cidr_blocks", []), object.get(rule, "ipv6_cidr_blocks", []))
	world(cidr)
}

deny contains {"rule": "AWS-EC2-001", "resource": rc.address} if {
	some rc in changes
	rc.type == "aws_vpc_security_group_ingress_rule"
	covers_admin(rc.change.after.from_port, rc.change.after.to_port)
	world(rc.change.after.cidr_ipv4)
}

# AWS-EC2-002: instances require IMDSv2.
deny contains {"rule": "AWS-EC2-002", "resource": rc.address} if {
	some rc in changes
	rc.type == "aws_instance"
	not imdsv2(rc.change.after)
}

imdsv2(after) if {
	some options in after.metadata_options
	options.http_tokens == "required"
}

# AWS-ELB-001: target groups do not forward to administrative ports.
deny contains {"rule": "AWS-ELB-001", "resource": rc.address} if {
	some rc in changes
	rc.type == "aws_lb_target_group"
	rc.change.after.port in admin_ports
}

# AWS-RDS-001 and AWS-RDS-002: databases are private and encrypted.
deny contains {"rule": "AWS-RDS-001", "resource": rc.address} if {
	some rc in changes
	rc.type == "aws_db_instance"
	rc.change.after.publicly_accessible == true
}

deny contains {"rule": "AWS-RDS-002", "resource": rc.address} if {
	some rc in changes
	rc.type == "aws_db_instance"
	not rc.change.after.storage_encrypted == true
}

# AWS-IAM-001: no policy allows every action on every resource.
deny contains {"rule": "AWS-IAM-001", "resource": rc.address} if {
	some rc in changes
	rc.type == "aws_iam_policy"
	doc := json.unmarshal(rc.change.after.policy)
	some stmt in as_list(doc.Statement)
	stmt.Effect == "Allow"
	"*" in as_list(stmt.Action)
	"*" in as_list(stmt.Resource)
}

as_list(x) := x if is_array(x)

as_list(x) := [x] if not is_array(x)

# PLATFORM-003: taggable resources carry the `Department` tag.
taggable := {
	"aws_s3_bucket", "aws_security_group", "aws_vpc_security_group_ingress_rule",
	"aws_lb_target_group", "aws_instance", "aws_db_instance", "aws_iam_policy",
}

deny contains {"rule": "PLATFORM-003", "resource": rc.address} if {
	some rc in changes
	rc.type in taggable
	not has_department(rc.change.after)
}

has_department(after) if after.tags.Department

has_department(after) if after.tags_all.Department
