// AWSGuard (@pulumi/awsguard) as a policy pack: every policy at its default, advisory.
const { AwsGuard } = require("@pulumi/awsguard");

new AwsGuard({ all: "advisory" });
