# METADATA
# title: Buckets are not public
# description: >-
#   S3 buckets must not grant public read or write access through a canned ACL;
#   anyone on the internet could read or replace their objects.
# custom:
#   id: __PREFIX__-001
#   severity: high
#   enforcement: mandatory
#   resource_types: [aws:s3/bucket:Bucket, aws_s3_bucket, aws:s3/bucketAclV2:BucketAclV2, aws_s3_bucket_acl]
#   remediation: Set the ACL to `private` and share objects through a bucket policy or a CDN.
#   services: [s3]
#   topics: [access]
#   frameworks:
#     cis-aws: ["2.1.4"]
package __PKG__.public_buckets

public_acls := {"public-read", "public-read-write"}

# `guardrail.prop` reads a property in either spelling (`acl`, `ACL`; `deletion_protection`,
# `deletionProtection`) and looks through a list of one item; it is undefined when the property
# is missing, null or known only after apply.
acl := guardrail.prop(input.props, "acl")

# A violation: a message, or an object with `msg` and `path`.
deny contains {"msg": msg, "path": "acl"} if {
	acl in public_acls
	msg := sprintf("bucket `%s` has the public ACL `%s`", [input.name, acl])
}

# The ACL is known only after apply: neither pass nor violation.
indeterminate contains "acl" if guardrail.unknown(input.props, "acl")
