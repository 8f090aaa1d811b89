"""The seed example's stack: a `Microservice` component with an S3 bucket and a target group.

The AWS resources are custom resources of the test's fake `aws` provider (no cloud, no
download); the component is a component. `pulumi config set dbPort N` picks the target group's
port, `pulumi config set --secret dbPassword X` adds a resource with a secret input.
"""

import pulumi


class Microservice(pulumi.ComponentResource):
    def __init__(self, name, props, opts=None):
        super().__init__("acme:index:Microservice", name, props, opts)
        self.register_outputs(props)


config = pulumi.Config()
port = config.get_int("dbPort") or 5432
service = Microservice("checkout", {"image": "acme/checkout:1.42.0", "memory": "2Gi", "replicas": 3})
child = pulumi.ResourceOptions(parent=service)
assets = pulumi.CustomResource(
    "aws:s3/bucketV2:BucketV2",
    "checkout-assets",
    {"bucket": "acme-checkout-assets", "tags": {"Team": "checkout"}},
    child,
)
target = pulumi.CustomResource(
    "aws:lb/targetGroup:TargetGroup",
    "checkout-db",
    {"name": "checkout-db", "port": port, "protocol": "TCP", "targetType": "ip", "tags": {"Department": "retail"}},
    child,
)
password = config.get_secret("dbPassword")
if password is not None:
    pulumi.CustomResource(
        "aws:rds/instance:Instance",
        "checkout-orders",
        {"engine": "postgres", "username": "orders", "password": password, "tags": {"Department": "retail"}},
        child,
    )
pulumi.export("port", port)
