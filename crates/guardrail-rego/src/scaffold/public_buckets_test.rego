package __PKG__.public_buckets_test

import data.__PKG__.public_buckets

bucket(props) := {"type": "aws_s3_bucket", "name": "logs", "props": props, "unknown": []}

test_public_read_is_denied if {
	count(public_buckets.deny) == 1 with input as bucket({"acl": "public-read"})
}

test_private_passes if {
	count(public_buckets.deny) == 0 with input as bucket({"acl": "private"})
}
