# METADATA
# title: A stack has few buckets
# description: >-
#   A stack holds at most `max` S3 buckets; more usually means data that belongs
#   in a shared bucket.
# custom:
#   id: __PREFIX__-002
#   severity: low
#   kind: stack
#   remediation: Move the data into the team's shared bucket, or raise `max` in the policy config.
#   config:
#     type: object
#     properties:
#       max: {type: integer, minimum: 0, default: 10}
package __PKG__.bucket_count

bucket_types := {"aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2", "aws_s3_bucket"}

buckets := [r | some r in input.resources; r.type in bucket_types]

deny contains msg if {
	count(buckets) > data.config.max
	msg := sprintf("the stack has %d buckets, more than the limit of %d", [count(buckets), data.config.max])
}
