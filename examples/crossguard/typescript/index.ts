// The seed example's four guardrails as a TypeScript CrossGuard pack: the same checks as
// guardrail's built-in AWS-ELB-001, PLATFORM-001, PLATFORM-002 and PLATFORM-003, written against
// Pulumi's resource shape. It runs unchanged under `pulumi preview --policy-pack` and under
// `guardrail check --pack`.
import { PolicyPack, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";

const targetGroups = [
    "aws:lb/targetGroup:TargetGroup",
    "aws:alb/targetGroup:TargetGroup",
    "aws:elasticloadbalancingv2/targetGroup:TargetGroup",
];
const buckets = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const encryptions = [
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
];
const taggable = [
    ...buckets,
    ...targetGroups,
    "aws:ec2/instance:Instance",
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/vpc:Vpc",
    "aws:ec2/subnet:Subnet",
    "aws:rds/instance:Instance",
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:dynamodb/table:Table",
    "aws:kms/key:Key",
    "aws:lambda/function:Function",
];
const units: Record<string, number> = {
    "": 1, B: 1, K: 1e3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15,
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50,
};

/** Bytes of a memory size such as 512Mi or 2G; undefined when it is not one. */
function size(value: unknown): number | undefined {
    if (typeof value === "number") {
        return value;
    }
    if (typeof value !== "string") {
        return undefined;
    }
    const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([KMGTP]i?|k|B)?B?\s*$/.exec(value);
    return m ? parseFloat(m[1]) * units[m[2] ?? ""] : undefined;
}

/** A glob with `*` and `?` as a regular expression. */
function glob(pattern: string): RegExp {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    return new RegExp(`^${body}$`);
}

function missingTags(args: ResourceValidationArgs): Record<string, string> {
    if (!taggable.includes(args.type) && !("tags" in args.props)) {
        return {};
    }
    const required: Record<string, string> = args.getConfig<any>().tags ?? { Department: "unassigned" };
    const tags = args.props.tags ?? {};
    const missing: Record<string, string> = {};
    for (const [key, value] of Object.entries(required)) {
        if (!(key in tags)) {
            missing[key] = value;
        }
    }
    return missing;
}

function encryptedInline(props: any): boolean {
    return Boolean(props.serverSideEncryptionConfiguration?.rule?.applyServerSideEncryptionByDefault?.sseAlgorithm);
}

new PolicyPack("platform-crossguard-typescript", {
    enforcementLevel: "advisory",
    policies: [
        {
            name: "dangerous-ports",
            description: "Load-balancer target groups do not forward to administrative ports.",
            enforcementLevel: "mandatory",
            configSchema: {
                properties: {
                    ports: { type: "array", items: { type: "integer" }, default: [22, 23, 3389, 5432, 3306] },
                },
            },
            validateResource: (args, reportViolation) => {
                if (!targetGroups.includes(args.type)) {
                    return;
                }
                const port = args.props.port;
                const ports: number[] = args.getConfig<any>().ports ?? [22, 23, 3389, 5432, 3306];
                if (port !== undefined && ports.includes(port)) {
                    reportViolation(`target group \`${args.name}\` listens on port ${port}, an administrative port`);
                }
            },
        },
        {
            name: "memory-limit",
            description: "Components stay within the platform's memory limit.",
            enforcementLevel: "advisory",
            configSchema: {
                properties: {
                    componentType: { type: "string", default: "*:*:Microservice" },
                    memoryProperty: { type: "string", default: "memory" },
                    limit: { type: "string", default: "1Gi" },
                },
            },
            validateResource: (args, reportViolation) => {
                const config = args.getConfig<any>();
                if (!glob(config.componentType ?? "*:*:Microservice").test(args.type)) {
                    return;
                }
                const memory = args.props[config.memoryProperty ?? "memory"];
                if (memory === undefined) {
                    return;
                }
                const limit = config.limit ?? "1Gi";
                const asked = size(memory);
                if (asked === undefined) {
                    reportViolation(`component \`${args.name}\` has memory ${memory}, which is not a memory size`);
                } else if (asked > (size(limit) ?? Infinity)) {
                    reportViolation(`component \`${args.name}\` asks for ${memory} of memory, above the limit of ${limit}`);
                }
            },
        },
        {
            name: "encrypted-buckets",
            description: "Stacks with the platform component encrypt every S3 bucket.",
            enforcementLevel: "mandatory",
            configSchema: {
                properties: {
                    componentType: { type: "string", default: "*:*:Microservice" },
                },
            },
            validateStack: (args: StackValidationArgs, reportViolation) => {
                const component: string = args.getConfig<any>().componentType ?? "*:*:Microservice";
                if (!args.resources.some(r => glob(component).test(r.type))) {
                    return;
                }
                const coveredUrns = new Set<string>();
                const coveredNames = new Set<unknown>();
                for (const r of args.resources) {
                    if (!encryptions.includes(r.type)) {
                        continue;
                    }
                    let rules = r.props.rules ?? r.props.rule ?? [];
                    if (!Array.isArray(rules)) {
                        rules = [rules];
                    }
                    if (!rules.some((x: any) => x.applyServerSideEncryptionByDefault?.sseAlgorithm)) {
                        continue;
                    }
                    // The bucket it names: by the resource its `bucket` comes from (known before
                    // the bucket's name is), else by the name itself.
                    const sources = r.propertyDependencies.bucket ?? [];
                    sources.forEach(dep => coveredUrns.add(dep.urn));
                    if (sources.length === 0) {
                        coveredNames.add(r.props.bucket);
                    }
                }
                for (const r of args.resources) {
                    if (!buckets.includes(r.type) || encryptedInline(r.props)) {
                        continue;
                    }
                    if (coveredUrns.has(r.urn) || coveredNames.has(r.props.bucket)) {
                        continue;
                    }
                    reportViolation(
                        `S3 bucket \`${r.name}\` has no server-side encryption, and this stack runs a \`${component}\` component`,
                        r.urn,
                    );
                }
            },
        },
        {
            name: "department-tag",
            description: "Taggable resources carry the required tags.",
            enforcementLevel: "remediate",
            configSchema: {
                properties: {
                    tags: { type: "object", default: { Department: "unassigned" } },
                },
            },
            validateResource: (args, reportViolation) => {
                for (const key of Object.keys(missingTags(args))) {
                    reportViolation(`\`${args.name}\` (${args.type}) is missing the required tag \`${key}\``);
                }
            },
            remediateResource: args => {
                const missing = missingTags(args);
                if (Object.keys(missing).length === 0) {
                    return undefined;
                }
                return { ...args.props, tags: { ...(args.props.tags ?? {}), ...missing } };
            },
        },
    ],
});
