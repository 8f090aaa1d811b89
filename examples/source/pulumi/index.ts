import * as aws from "@pulumi/aws";

// The database's target group forwards PostgreSQL's port: AWS-ELB-001 points at the
// registration below (stack.json records it as `project:///index.ts#12,18`).
const vpcId = "vpc-0123456789abcdef0";

export const web = new aws.lb.TargetGroup("web", {
    port: 443,
    protocol: "TCP",
    vpcId,
});
export const db = new aws.lb.TargetGroup("db", {
    port: 5432,
    protocol: "TCP",
    vpcId,
});
