//! Amazon Web Services rules.

pub mod ec2;
pub mod elb;

// Registry groups (see `rules::GROUPS`).
pub mod registry_data;
pub mod registry_network;
pub mod registry_services;

// Services: network, compute and edge (S3, EC2/EBS, VPC, ELB, CloudFront).
pub mod cloudfront;
pub mod s3;
pub mod vpc;
// -- network services above this line --

// Services: data stores and keys (RDS, DynamoDB, ElastiCache, OpenSearch, Redshift, EFS, KMS, Secrets Manager).
pub mod dynamodb;
pub mod efs;
pub mod elasticache;
pub mod kms;
pub mod opensearch;
pub mod rds;
pub mod redshift;
pub mod secretsmanager;
// -- data services above this line --

// Services: identity, logging, compute platforms and messaging (IAM, CloudTrail, Lambda, EKS, ECR, ECS, SNS, SQS, API Gateway, CloudWatch).
pub mod apigateway;
pub mod cloudtrail;
pub mod cloudwatch;
pub mod ecr;
pub mod ecs;
pub mod eks;
pub mod iam;
pub mod lambda;
pub mod sns;
pub mod sqs;
// -- platform services above this line --
