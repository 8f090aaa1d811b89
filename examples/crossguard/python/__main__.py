"""The seed example's four guardrails as a Python CrossGuard pack.

The same checks as guardrail's built-in AWS-ELB-001, PLATFORM-001, PLATFORM-002 and
PLATFORM-003, written against Pulumi's resource shape (type tokens, camelCase properties).
It runs unchanged under `pulumi preview --policy-pack` and under `guardrail check --pack`.
"""

import fnmatch
import re

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyPack,
    ResourceValidationPolicy,
    StackValidationPolicy,
)

TARGET_GROUPS = {
    "aws:lb/targetGroup:TargetGroup",
    "aws:alb/targetGroup:TargetGroup",
    "aws:elasticloadbalancingv2/targetGroup:TargetGroup",
}
BUCKETS = {"aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"}
ENCRYPTIONS = {
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
}
TAGGABLE = BUCKETS | TARGET_GROUPS | {
    "aws:ec2/instance:Instance",
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/vpc:Vpc",
    "aws:ec2/subnet:Subnet",
    "aws:rds/instance:Instance",
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:dynamodb/table:Table",
    "aws:kms/key:Key",
    "aws:lambda/function:Function",
}
UNITS = {"": 1, "B": 1, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15,
         "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50}


def size(value):
    """Bytes of a memory size such as 512Mi or 2G; None when it is not one."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, str):
        return None
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([KMGTP]i?|k|B)?B?\s*", value)
    if not m:
        return None
    unit = m.group(2) or ""
    return float(m.group(1)) * UNITS["K" if unit == "k" else unit]


def dangerous_ports(args, report_violation):
    if args.resource_type not in TARGET_GROUPS:
        return
    port = args.props.get("port")
    ports = args.get_config().get("ports", [22, 23, 3389, 5432, 3306])
    # The engine sends numbers as doubles: 5432 arrives as 5432.0, and `5432.0 in [5432]` holds.
    if port is not None and port in ports:
        report_violation(f"target group `{args.name}` listens on port {int(port)}, an administrative port")


def memory_limit(args, report_violation):
    config = args.get_config()
    if not fnmatch.fnmatchcase(args.resource_type, config.get("componentType", "*:*:Microservice")):
        return
    memory = args.props.get(config.get("memoryProperty", "memory"))
    if memory is None:
        return
    limit = config.get("limit", "1Gi")
    asked = size(memory)
    if asked is None:
        report_violation(f"component `{args.name}` has memory {memory}, which is not a memory size")
    elif asked > size(limit):
        report_violation(f"component `{args.name}` asks for {memory} of memory, above the limit of {limit}")


def encrypted_inline(bucket):
    sse = bucket.props.get("serverSideEncryptionConfiguration") or {}
    rule = sse.get("rule") or {}
    return bool((rule.get("applyServerSideEncryptionByDefault") or {}).get("sseAlgorithm"))


def encrypted_buckets(args, report_violation):
    component = args.get_config().get("componentType", "*:*:Microservice")
    if not any(fnmatch.fnmatchcase(r.resource_type, component) for r in args.resources):
        return
    covered = set()
    for r in args.resources:
        if r.resource_type not in ENCRYPTIONS:
            continue
        rules = r.props.get("rules") or r.props.get("rule") or []
        if isinstance(rules, dict):
            rules = [rules]
        if not any((x.get("applyServerSideEncryptionByDefault") or {}).get("sseAlgorithm") for x in rules):
            continue
        # The bucket it names: by the resource its `bucket` comes from (known before the bucket's
        # name is), else by the name itself.
        sources = r.property_dependencies.get("bucket") or []
        for dep in sources:
            covered.add(("urn", dep.urn))
        if not sources:
            covered.add(("name", r.props.get("bucket")))
    for r in args.resources:
        if r.resource_type not in BUCKETS or encrypted_inline(r):
            continue
        if ("urn", r.urn) in covered or ("name", r.props.get("bucket")) in covered:
            continue
        report_violation(f"S3 bucket `{r.name}` has no server-side encryption, and this stack runs a "
                         f"`{component}` component", r.urn)


def missing_tags(args):
    if args.resource_type not in TAGGABLE and "tags" not in args.props:
        return {}
    required = args.get_config().get("tags", {"Department": "unassigned"})
    tags = args.props.get("tags") or {}
    return {k: v for k, v in required.items() if k not in tags}


def department_tag(args, report_violation):
    for key in missing_tags(args):
        report_violation(f"`{args.name}` ({args.resource_type}) is missing the required tag `{key}`")


def add_department_tag(args):
    missing = missing_tags(args)
    if not missing:
        return None
    props = dict(args.props)
    props["tags"] = {**(props.get("tags") or {}), **missing}
    return props


PolicyPack(
    name="platform-crossguard-python",
    enforcement_level=EnforcementLevel.ADVISORY,
    policies=[
        ResourceValidationPolicy(
            name="dangerous-ports",
            description="Load-balancer target groups do not forward to administrative ports.",
            enforcement_level=EnforcementLevel.MANDATORY,
            config_schema=PolicyConfigSchema(properties={
                "ports": {"type": "array", "items": {"type": "integer"}, "default": [22, 23, 3389, 5432, 3306]},
            }),
            validate=dangerous_ports,
        ),
        ResourceValidationPolicy(
            name="memory-limit",
            description="Components stay within the platform's memory limit.",
            enforcement_level=EnforcementLevel.ADVISORY,
            config_schema=PolicyConfigSchema(properties={
                "componentType": {"type": "string", "default": "*:*:Microservice"},
                "memoryProperty": {"type": "string", "default": "memory"},
                "limit": {"type": "string", "default": "1Gi"},
            }),
            validate=memory_limit,
        ),
        StackValidationPolicy(
            name="encrypted-buckets",
            description="Stacks with the platform component encrypt every S3 bucket.",
            enforcement_level=EnforcementLevel.MANDATORY,
            config_schema=PolicyConfigSchema(properties={
                "componentType": {"type": "string", "default": "*:*:Microservice"},
            }),
            validate=encrypted_buckets,
        ),
        ResourceValidationPolicy(
            name="department-tag",
            description="Taggable resources carry the required tags.",
            enforcement_level=EnforcementLevel.REMEDIATE,
            config_schema=PolicyConfigSchema(properties={
                "tags": {"type": "object", "default": {"Department": "unassigned"}},
            }),
            validate=department_tag,
            remediate=add_department_tag,
        ),
    ],
)
