//! One resource type, several spellings.
//!
//! Pulumi's AWS, Azure and GCP providers are bridged from the Terraform providers: the same resource
//! is `aws:s3/bucket:Bucket` in Pulumi and `aws_s3_bucket` in Terraform. Policies name their types in
//! either spelling; the engine compares canonical names, which are the Terraform types. The table is
//! explicit because the mapping is not derivable (`aws:ec2/securityGroup:SecurityGroup` is
//! `aws_security_group`, not `aws_ec2_security_group`).

use std::borrow::Cow;

mod azure;
pub use azure::AZURE_TYPES;

/// Pulumi token → canonical (Terraform) type. Several tokens may map to one type (renames across
/// provider major versions).
pub const PULUMI_TYPES: &[(&str, &str)] = &[
    // S3 — AWS provider v6 has the legacy `Bucket` and the new `BucketV2`; v7 renamed `BucketV2`
    // back to `Bucket` and dropped the `V2` suffix from the bucket sub-resources.
    ("aws:s3/bucket:Bucket", "aws_s3_bucket"),
    ("aws:s3/bucketV2:BucketV2", "aws_s3_bucket"),
    (
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
        "aws_s3_bucket_server_side_encryption_configuration",
    ),
    (
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws_s3_bucket_server_side_encryption_configuration",
    ),
    ("aws:s3/bucketPolicy:BucketPolicy", "aws_s3_bucket_policy"),
    (
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws_s3_bucket_public_access_block",
    ),
    ("aws:s3/bucketVersioningV2:BucketVersioningV2", "aws_s3_bucket_versioning"),
    ("aws:s3/bucketVersioning:BucketVersioning", "aws_s3_bucket_versioning"),
    ("aws:s3/bucketLoggingV2:BucketLoggingV2", "aws_s3_bucket_logging"),
    ("aws:s3/bucketLogging:BucketLogging", "aws_s3_bucket_logging"),
    ("aws:s3/bucketAclV2:BucketAclV2", "aws_s3_bucket_acl"),
    ("aws:s3/bucketAcl:BucketAcl", "aws_s3_bucket_acl"),
    ("aws:s3/bucketObject:BucketObject", "aws_s3_bucket_object"),
    ("aws:s3/bucketObjectv2:BucketObjectv2", "aws_s3_object"),
    // Network, compute and edge rules of the catalog (S3, EC2/EBS, VPC, ELB, CloudFront).
    ("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "aws_s3_account_public_access_block"),
    ("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "aws_s3_bucket_ownership_controls"),
    ("aws:ec2/launchConfiguration:LaunchConfiguration", "aws_launch_configuration"),
    ("aws:ec2/amiLaunchPermission:AmiLaunchPermission", "aws_ami_launch_permission"),
    ("aws:ec2/imageBlockPublicAccess:ImageBlockPublicAccess", "aws_ec2_image_block_public_access"),
    ("aws:ebs/encryptionByDefault:EncryptionByDefault", "aws_ebs_encryption_by_default"),
    ("aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess", "aws_ebs_snapshot_block_public_access"),
    ("aws:ec2/networkAcl:NetworkAcl", "aws_network_acl"),
    ("aws:ec2/networkAclRule:NetworkAclRule", "aws_network_acl_rule"),
    ("aws:ec2/defaultNetworkAcl:DefaultNetworkAcl", "aws_default_network_acl"),
    ("aws:ec2/route:Route", "aws_route"),
    ("aws:ec2transitgateway/transitGateway:TransitGateway", "aws_ec2_transit_gateway"),
    ("aws:elasticloadbalancingv2/loadBalancer:LoadBalancer", "aws_lb"),
    ("aws:applicationloadbalancing/loadBalancer:LoadBalancer", "aws_lb"),
    ("aws:elasticloadbalancingv2/listener:Listener", "aws_lb_listener"),
    ("aws:applicationloadbalancing/listener:Listener", "aws_lb_listener"),
    ("aws:elasticloadbalancing/loadBalancer:LoadBalancer", "aws_elb"),
    ("aws:wafv2/webAclAssociation:WebAclAssociation", "aws_wafv2_web_acl_association"),
    // Load balancing — `aws_alb_*` are Terraform aliases of `aws_lb_*`.
    ("aws:lb/targetGroup:TargetGroup", "aws_lb_target_group"),
    ("aws:alb/targetGroup:TargetGroup", "aws_lb_target_group"),
    ("aws:elasticloadbalancingv2/targetGroup:TargetGroup", "aws_lb_target_group"),
    ("aws:lb/loadBalancer:LoadBalancer", "aws_lb"),
    ("aws:alb/loadBalancer:LoadBalancer", "aws_lb"),
    ("aws:lb/listener:Listener", "aws_lb_listener"),
    ("aws:alb/listener:Listener", "aws_lb_listener"),
    ("aws:elb/loadBalancer:LoadBalancer", "aws_elb"),
    // EC2 and VPC
    ("aws:ec2/securityGroup:SecurityGroup", "aws_security_group"),
    ("aws:ec2/securityGroupRule:SecurityGroupRule", "aws_security_group_rule"),
    (
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        "aws_vpc_security_group_ingress_rule",
    ),
    (
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
        "aws_vpc_security_group_egress_rule",
    ),
    ("aws:ec2/instance:Instance", "aws_instance"),
    ("aws:ec2/launchTemplate:LaunchTemplate", "aws_launch_template"),
    ("aws:ec2/volume:Volume", "aws_ebs_volume"),
    ("aws:ebs/volume:Volume", "aws_ebs_volume"),
    ("aws:ec2/vpc:Vpc", "aws_vpc"),
    ("aws:ec2/subnet:Subnet", "aws_subnet"),
    ("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "aws_default_security_group"),
    ("aws:ec2/flowLog:FlowLog", "aws_flow_log"),
    // Databases
    ("aws:rds/instance:Instance", "aws_db_instance"),
    ("aws:rds/cluster:Cluster", "aws_rds_cluster"),
    ("aws:dynamodb/table:Table", "aws_dynamodb_table"),
    // Data stores and keys read by the catalog's data rules.
    ("aws:rds/proxy:Proxy", "aws_db_proxy"),
    ("aws:rds/parameterGroup:ParameterGroup", "aws_db_parameter_group"),
    (
        "aws:rds/clusterParameterGroup:ClusterParameterGroup",
        "aws_rds_cluster_parameter_group",
    ),
    ("aws:rds/snapshot:Snapshot", "aws_db_snapshot"),
    ("aws:rds/clusterSnapshot:ClusterSnapshot", "aws_db_cluster_snapshot"),
    ("aws:rds/snapshotCopy:SnapshotCopy", "aws_db_snapshot_copy"),
    ("aws:dax/cluster:Cluster", "aws_dax_cluster"),
    ("aws:opensearch/domain:Domain", "aws_opensearch_domain"),
    ("aws:opensearch/domainPolicy:DomainPolicy", "aws_opensearch_domain_policy"),
    ("aws:elasticsearch/domain:Domain", "aws_elasticsearch_domain"),
    ("aws:elasticsearch/domainPolicy:DomainPolicy", "aws_elasticsearch_domain_policy"),
    ("aws:redshift/cluster:Cluster", "aws_redshift_cluster"),
    ("aws:redshift/parameterGroup:ParameterGroup", "aws_redshift_parameter_group"),
    ("aws:redshift/logging:Logging", "aws_redshift_logging"),
    ("aws:efs/backupPolicy:BackupPolicy", "aws_efs_backup_policy"),
    ("aws:efs/accessPoint:AccessPoint", "aws_efs_access_point"),
    ("aws:efs/fileSystemPolicy:FileSystemPolicy", "aws_efs_file_system_policy"),
    ("aws:kms/keyPolicy:KeyPolicy", "aws_kms_key_policy"),
    (
        "aws:secretsmanager/secretRotation:SecretRotation",
        "aws_secretsmanager_secret_rotation",
    ),
    ("aws:secretsmanager/secretPolicy:SecretPolicy", "aws_secretsmanager_secret_policy"),
    // Identity and keys
    ("aws:iam/policy:Policy", "aws_iam_policy"),
    ("aws:iam/role:Role", "aws_iam_role"),
    ("aws:iam/user:User", "aws_iam_user"),
    ("aws:iam/userPolicy:UserPolicy", "aws_iam_user_policy"),
    ("aws:iam/rolePolicy:RolePolicy", "aws_iam_role_policy"),
    ("aws:kms/key:Key", "aws_kms_key"),
    // Compute and containers
    ("aws:lambda/function:Function", "aws_lambda_function"),
    ("aws:ecs/taskDefinition:TaskDefinition", "aws_ecs_task_definition"),
    ("aws:eks/cluster:Cluster", "aws_eks_cluster"),
    ("aws:ecr/repository:Repository", "aws_ecr_repository"),
    // Messaging and logging
    ("aws:sns/topic:Topic", "aws_sns_topic"),
    ("aws:sqs/queue:Queue", "aws_sqs_queue"),
    ("aws:cloudtrail/trail:Trail", "aws_cloudtrail"),
    ("aws:cloudwatch/logGroup:LogGroup", "aws_cloudwatch_log_group"),
    // Google Cloud: the catalog's gcp rules (the three basics are further down).
    ("gcp:storage/bucketIAMMember:BucketIAMMember", "google_storage_bucket_iam_member"),
    ("gcp:storage/bucketIAMBinding:BucketIAMBinding", "google_storage_bucket_iam_binding"),
    ("gcp:storage/bucketIAMPolicy:BucketIAMPolicy", "google_storage_bucket_iam_policy"),
    ("gcp:storage/bucketAccessControl:BucketAccessControl", "google_storage_bucket_access_control"),
    ("gcp:storage/defaultObjectAccessControl:DefaultObjectAccessControl", "google_storage_default_object_access_control"),
    ("gcp:storage/objectAccessControl:ObjectAccessControl", "google_storage_object_access_control"),
    ("gcp:storage/bucketACL:BucketACL", "google_storage_bucket_acl"),
    ("gcp:storage/defaultObjectACL:DefaultObjectACL", "google_storage_default_object_acl"),
    ("gcp:compute/network:Network", "google_compute_network"),
    ("gcp:compute/subnetwork:Subnetwork", "google_compute_subnetwork"),
    ("gcp:compute/instanceTemplate:InstanceTemplate", "google_compute_instance_template"),
    ("gcp:compute/projectMetadata:ProjectMetadata", "google_compute_project_metadata"),
    ("gcp:compute/projectMetadataItem:ProjectMetadataItem", "google_compute_project_metadata_item"),
    ("gcp:compute/disk:Disk", "google_compute_disk"),
    ("gcp:compute/regionDisk:RegionDisk", "google_compute_region_disk"),
    ("gcp:compute/sSLPolicy:SSLPolicy", "google_compute_ssl_policy"),
    ("gcp:compute/regionSslPolicy:RegionSslPolicy", "google_compute_region_ssl_policy"),
    ("gcp:compute/targetHttpsProxy:TargetHttpsProxy", "google_compute_target_https_proxy"),
    ("gcp:compute/regionTargetHttpsProxy:RegionTargetHttpsProxy", "google_compute_region_target_https_proxy"),
    ("gcp:compute/targetSSLProxy:TargetSSLProxy", "google_compute_target_ssl_proxy"),
    ("gcp:compute/backendService:BackendService", "google_compute_backend_service"),
    ("gcp:compute/regionBackendService:RegionBackendService", "google_compute_region_backend_service"),
    ("gcp:container/cluster:Cluster", "google_container_cluster"),
    ("gcp:container/nodePool:NodePool", "google_container_node_pool"),
    ("gcp:sql/databaseInstance:DatabaseInstance", "google_sql_database_instance"),
    ("gcp:kms/cryptoKey:CryptoKey", "google_kms_crypto_key"),
    ("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "google_kms_crypto_key_iam_member"),
    ("gcp:kms/cryptoKeyIAMBinding:CryptoKeyIAMBinding", "google_kms_crypto_key_iam_binding"),
    ("gcp:kms/cryptoKeyIAMPolicy:CryptoKeyIAMPolicy", "google_kms_crypto_key_iam_policy"),
    ("gcp:kms/keyRingIAMMember:KeyRingIAMMember", "google_kms_key_ring_iam_member"),
    ("gcp:kms/keyRingIAMBinding:KeyRingIAMBinding", "google_kms_key_ring_iam_binding"),
    ("gcp:kms/keyRingIAMPolicy:KeyRingIAMPolicy", "google_kms_key_ring_iam_policy"),
    ("gcp:projects/iAMMember:IAMMember", "google_project_iam_member"),
    ("gcp:projects/iAMBinding:IAMBinding", "google_project_iam_binding"),
    ("gcp:projects/iAMPolicy:IAMPolicy", "google_project_iam_policy"),
    ("gcp:serviceaccount/key:Key", "google_service_account_key"),
    ("gcp:bigquery/dataset:Dataset", "google_bigquery_dataset"),
    ("gcp:bigquery/datasetAccess:DatasetAccess", "google_bigquery_dataset_access"),
    ("gcp:bigquery/datasetIamMember:DatasetIamMember", "google_bigquery_dataset_iam_member"),
    ("gcp:bigquery/datasetIamBinding:DatasetIamBinding", "google_bigquery_dataset_iam_binding"),
    ("gcp:bigquery/datasetIamPolicy:DatasetIamPolicy", "google_bigquery_dataset_iam_policy"),
    ("gcp:bigquery/iamMember:IamMember", "google_bigquery_table_iam_member"),
    ("gcp:bigquery/iamBinding:IamBinding", "google_bigquery_table_iam_binding"),
    ("gcp:bigquery/iamPolicy:IamPolicy", "google_bigquery_table_iam_policy"),
    ("gcp:bigquery/table:Table", "google_bigquery_table"),
    ("gcp:cloudrun/iamMember:IamMember", "google_cloud_run_service_iam_member"),
    ("gcp:cloudrun/iamBinding:IamBinding", "google_cloud_run_service_iam_binding"),
    ("gcp:cloudrun/iamPolicy:IamPolicy", "google_cloud_run_service_iam_policy"),
    ("gcp:cloudrunv2/serviceIamMember:ServiceIamMember", "google_cloud_run_v2_service_iam_member"),
    ("gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding", "google_cloud_run_v2_service_iam_binding"),
    ("gcp:cloudrunv2/serviceIamPolicy:ServiceIamPolicy", "google_cloud_run_v2_service_iam_policy"),
    ("gcp:cloudrunv2/service:Service", "google_cloud_run_v2_service"),
    ("gcp:cloudfunctions/function:Function", "google_cloudfunctions_function"),
    ("gcp:cloudfunctions2/function:Function", "google_cloudfunctions2_function"),
    ("gcp:cloudfunctions/functionIamMember:FunctionIamMember", "google_cloudfunctions_function_iam_member"),
    ("gcp:cloudfunctions/functionIamBinding:FunctionIamBinding", "google_cloudfunctions_function_iam_binding"),
    ("gcp:cloudfunctions/functionIamPolicy:FunctionIamPolicy", "google_cloudfunctions_function_iam_policy"),
    ("gcp:cloudfunctions2/functionIamMember:FunctionIamMember", "google_cloudfunctions2_function_iam_member"),
    ("gcp:cloudfunctions2/functionIamBinding:FunctionIamBinding", "google_cloudfunctions2_function_iam_binding"),
    ("gcp:cloudfunctions2/functionIamPolicy:FunctionIamPolicy", "google_cloudfunctions2_function_iam_policy"),
    ("gcp:dns/managedZone:ManagedZone", "google_dns_managed_zone"),
    ("gcp:dns/policy:Policy", "google_dns_policy"),
    ("gcp:pubsub/topic:Topic", "google_pubsub_topic"),
    ("gcp:pubsub/topicIAMMember:TopicIAMMember", "google_pubsub_topic_iam_member"),
    ("gcp:pubsub/topicIAMBinding:TopicIAMBinding", "google_pubsub_topic_iam_binding"),
    ("gcp:pubsub/topicIAMPolicy:TopicIAMPolicy", "google_pubsub_topic_iam_policy"),
    ("gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember", "google_pubsub_subscription_iam_member"),
    ("gcp:pubsub/subscriptionIAMBinding:SubscriptionIAMBinding", "google_pubsub_subscription_iam_binding"),
    ("gcp:pubsub/subscriptionIAMPolicy:SubscriptionIAMPolicy", "google_pubsub_subscription_iam_policy"),
    ("gcp:secretmanager/secretIamMember:SecretIamMember", "google_secret_manager_secret_iam_member"),
    ("gcp:secretmanager/secretIamBinding:SecretIamBinding", "google_secret_manager_secret_iam_binding"),
    ("gcp:secretmanager/secretIamPolicy:SecretIamPolicy", "google_secret_manager_secret_iam_policy"),
    ("gcp:artifactregistry/repositoryIamMember:RepositoryIamMember", "google_artifact_registry_repository_iam_member"),
    ("gcp:artifactregistry/repositoryIamBinding:RepositoryIamBinding", "google_artifact_registry_repository_iam_binding"),
    ("gcp:artifactregistry/repositoryIamPolicy:RepositoryIamPolicy", "google_artifact_registry_repository_iam_policy"),
    ("gcp:logging/projectBucketConfig:ProjectBucketConfig", "google_logging_project_bucket_config"),
    ("gcp:projects/iAMAuditConfig:IAMAuditConfig", "google_project_iam_audit_config"),
    ("gcp:compute/instanceIAMMember:InstanceIAMMember", "google_compute_instance_iam_member"),
    ("gcp:compute/instanceIAMBinding:InstanceIAMBinding", "google_compute_instance_iam_binding"),
    ("gcp:compute/instanceIAMPolicy:InstanceIAMPolicy", "google_compute_instance_iam_policy"),
    ("gcp:compute/imageIamMember:ImageIamMember", "google_compute_image_iam_member"),
    ("gcp:compute/imageIamBinding:ImageIamBinding", "google_compute_image_iam_binding"),
    ("gcp:compute/imageIamPolicy:ImageIamPolicy", "google_compute_image_iam_policy"),
    ("gcp:compute/routerNat:RouterNat", "google_compute_router_nat"),
    ("gcp:organizations/iAMMember:IAMMember", "google_organization_iam_member"),
    ("gcp:organizations/iAMBinding:IAMBinding", "google_organization_iam_binding"),
    ("gcp:folder/iAMMember:IAMMember", "google_folder_iam_member"),
    ("gcp:folder/iAMBinding:IAMBinding", "google_folder_iam_binding"),
    ("gcp:serviceaccount/iAMMember:IAMMember", "google_service_account_iam_member"),
    ("gcp:serviceaccount/iAMBinding:IAMBinding", "google_service_account_iam_binding"),
    ("gcp:serviceaccount/iAMPolicy:IAMPolicy", "google_service_account_iam_policy"),
    ("gcp:projects/apiKey:ApiKey", "google_apikeys_key"),
    ("gcp:dataproc/cluster:Cluster", "google_dataproc_cluster"),
    ("gcp:redis/instance:Instance", "google_redis_instance"),
    ("gcp:artifactregistry/repository:Repository", "google_artifact_registry_repository"),
    ("gcp:serviceaccount/account:Account", "google_service_account"),
    // -- end of the Google Cloud rules' types --
    // GCP and Azure basics
    ("gcp:storage/bucket:Bucket", "google_storage_bucket"),
    ("gcp:compute/firewall:Firewall", "google_compute_firewall"),
    ("gcp:compute/instance:Instance", "google_compute_instance"),
    ("azure:storage/account:Account", "azurerm_storage_account"),
    // Taggable AWS resources the catalog's tagging rule recognises in Pulumi previews, which
    // omit unset properties (so a missing `tags` key says nothing about taggability).
    ("aws:ec2/eip:Eip", "aws_eip"),
    ("aws:ec2/natGateway:NatGateway", "aws_nat_gateway"),
    ("aws:ec2/internetGateway:InternetGateway", "aws_internet_gateway"),
    ("aws:ec2/routeTable:RouteTable", "aws_route_table"),
    ("aws:ec2/networkInterface:NetworkInterface", "aws_network_interface"),
    ("aws:ec2/keyPair:KeyPair", "aws_key_pair"),
    ("aws:ec2/vpcEndpoint:VpcEndpoint", "aws_vpc_endpoint"),
    ("aws:rds/clusterInstance:ClusterInstance", "aws_rds_cluster_instance"),
    ("aws:rds/subnetGroup:SubnetGroup", "aws_db_subnet_group"),
    ("aws:elasticache/cluster:Cluster", "aws_elasticache_cluster"),
    (
        "aws:elasticache/replicationGroup:ReplicationGroup",
        "aws_elasticache_replication_group",
    ),
    ("aws:efs/fileSystem:FileSystem", "aws_efs_file_system"),
    ("aws:secretsmanager/secret:Secret", "aws_secretsmanager_secret"),
    ("aws:ssm/parameter:Parameter", "aws_ssm_parameter"),
    ("aws:ecs/cluster:Cluster", "aws_ecs_cluster"),
    ("aws:ecs/service:Service", "aws_ecs_service"),
    ("aws:apigateway/restApi:RestApi", "aws_api_gateway_rest_api"),
    ("aws:cloudfront/distribution:Distribution", "aws_cloudfront_distribution"),
    ("aws:sfn/stateMachine:StateMachine", "aws_sfn_state_machine"),
    ("aws:kinesis/stream:Stream", "aws_kinesis_stream"),
    ("aws:route53/zone:Zone", "aws_route53_zone"),
    ("aws:acm/certificate:Certificate", "aws_acm_certificate"),
    // Identity, logging, compute platforms and messaging (the catalog's services group).
    ("aws:iam/groupPolicy:GroupPolicy", "aws_iam_group_policy"),
    ("aws:iam/accountPasswordPolicy:AccountPasswordPolicy", "aws_iam_account_password_policy"),
    ("aws:iam/accessKey:AccessKey", "aws_iam_access_key"),
    ("aws:iam/userPolicyAttachment:UserPolicyAttachment", "aws_iam_user_policy_attachment"),
    ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws_iam_role_policy_attachment"),
    ("aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "aws_iam_group_policy_attachment"),
    ("aws:iam/policyAttachment:PolicyAttachment", "aws_iam_policy_attachment"),
    ("aws:iam/userPoliciesExclusive:UserPoliciesExclusive", "aws_iam_user_policies_exclusive"),
    ("aws:lambda/permission:Permission", "aws_lambda_permission"),
    ("aws:lambda/functionUrl:FunctionUrl", "aws_lambda_function_url"),
    ("aws:ecr/repositoryPolicy:RepositoryPolicy", "aws_ecr_repository_policy"),
    ("aws:sns/topicPolicy:TopicPolicy", "aws_sns_topic_policy"),
    ("aws:sns/topicSubscription:TopicSubscription", "aws_sns_topic_subscription"),
    ("aws:sqs/queuePolicy:QueuePolicy", "aws_sqs_queue_policy"),
    ("aws:sqs/redrivePolicy:RedrivePolicy", "aws_sqs_queue_redrive_policy"),
    ("aws:apigateway/stage:Stage", "aws_api_gateway_stage"),
    ("aws:apigateway/methodSettings:MethodSettings", "aws_api_gateway_method_settings"),
    ("aws:apigateway/method:Method", "aws_api_gateway_method"),
    ("aws:apigateway/domainName:DomainName", "aws_api_gateway_domain_name"),
    ("aws:apigatewayv2/stage:Stage", "aws_apigatewayv2_stage"),
    ("aws:apigatewayv2/route:Route", "aws_apigatewayv2_route"),
    ("aws:apigatewayv2/domainName:DomainName", "aws_apigatewayv2_domain_name"),
    ("aws:cloudwatch/metricAlarm:MetricAlarm", "aws_cloudwatch_metric_alarm"),
    ("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "aws_kinesis_firehose_delivery_stream"),
    ("aws:cfg/recorder:Recorder", "aws_config_configuration_recorder"),
    // Kubernetes: Pulumi's tokens (also what manifests load as) → the Terraform provider's types.
    ("kubernetes:core/v1:Pod", "kubernetes_pod"),
    ("kubernetes:core/v1:ReplicationController", "kubernetes_replication_controller"),
    ("kubernetes:core/v1:Service", "kubernetes_service"),
    ("kubernetes:core/v1:Namespace", "kubernetes_namespace"),
    ("kubernetes:core/v1:ServiceAccount", "kubernetes_service_account"),
    ("kubernetes:core/v1:Secret", "kubernetes_secret"),
    ("kubernetes:core/v1:ConfigMap", "kubernetes_config_map"),
    ("kubernetes:core/v1:LimitRange", "kubernetes_limit_range"),
    ("kubernetes:core/v1:ResourceQuota", "kubernetes_resource_quota"),
    ("kubernetes:apps/v1:Deployment", "kubernetes_deployment"),
    ("kubernetes:apps/v1beta1:Deployment", "kubernetes_deployment"),
    ("kubernetes:apps/v1beta2:Deployment", "kubernetes_deployment"),
    ("kubernetes:extensions/v1beta1:Deployment", "kubernetes_deployment"),
    ("kubernetes:apps/v1:StatefulSet", "kubernetes_stateful_set"),
    ("kubernetes:apps/v1beta1:StatefulSet", "kubernetes_stateful_set"),
    ("kubernetes:apps/v1beta2:StatefulSet", "kubernetes_stateful_set"),
    ("kubernetes:apps/v1:DaemonSet", "kubernetes_daemonset"),
    ("kubernetes:apps/v1beta2:DaemonSet", "kubernetes_daemonset"),
    ("kubernetes:extensions/v1beta1:DaemonSet", "kubernetes_daemonset"),
    ("kubernetes:batch/v1:Job", "kubernetes_job"),
    ("kubernetes:batch/v1:CronJob", "kubernetes_cron_job"),
    ("kubernetes:batch/v1beta1:CronJob", "kubernetes_cron_job"),
    ("kubernetes:networking.k8s.io/v1:Ingress", "kubernetes_ingress_v1"),
    ("kubernetes:networking.k8s.io/v1beta1:Ingress", "kubernetes_ingress"),
    ("kubernetes:extensions/v1beta1:Ingress", "kubernetes_ingress"),
    ("kubernetes:networking.k8s.io/v1:NetworkPolicy", "kubernetes_network_policy"),
    ("kubernetes:extensions/v1beta1:NetworkPolicy", "kubernetes_network_policy"),
    ("kubernetes:rbac.authorization.k8s.io/v1:Role", "kubernetes_role"),
    ("kubernetes:rbac.authorization.k8s.io/v1beta1:Role", "kubernetes_role"),
    ("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", "kubernetes_cluster_role"),
    ("kubernetes:rbac.authorization.k8s.io/v1beta1:ClusterRole", "kubernetes_cluster_role"),
    ("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "kubernetes_role_binding"),
    ("kubernetes:rbac.authorization.k8s.io/v1beta1:RoleBinding", "kubernetes_role_binding"),
    ("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", "kubernetes_cluster_role_binding"),
    ("kubernetes:rbac.authorization.k8s.io/v1beta1:ClusterRoleBinding", "kubernetes_cluster_role_binding"),
];

/// Terraform alias → canonical type.
pub const TERRAFORM_ALIASES: &[(&str, &str)] = &[
    ("aws_alb_target_group", "aws_lb_target_group"),
    ("aws_alb", "aws_lb"),
    ("aws_alb_listener", "aws_lb_listener"),
    // Kubernetes: the `_v1` resources have the schema of the unversioned ones
    ("kubernetes_pod_v1", "kubernetes_pod"),
    (
        "kubernetes_replication_controller_v1",
        "kubernetes_replication_controller",
    ),
    ("kubernetes_service_v1", "kubernetes_service"),
    ("kubernetes_namespace_v1", "kubernetes_namespace"),
    (
        "kubernetes_service_account_v1",
        "kubernetes_service_account",
    ),
    ("kubernetes_secret_v1", "kubernetes_secret"),
    ("kubernetes_config_map_v1", "kubernetes_config_map"),
    ("kubernetes_limit_range_v1", "kubernetes_limit_range"),
    ("kubernetes_resource_quota_v1", "kubernetes_resource_quota"),
    ("kubernetes_deployment_v1", "kubernetes_deployment"),
    ("kubernetes_stateful_set_v1", "kubernetes_stateful_set"),
    ("kubernetes_daemon_set_v1", "kubernetes_daemonset"),
    ("kubernetes_job_v1", "kubernetes_job"),
    ("kubernetes_cron_job_v1", "kubernetes_cron_job"),
    ("kubernetes_network_policy_v1", "kubernetes_network_policy"),
    ("kubernetes_role_v1", "kubernetes_role"),
    ("kubernetes_cluster_role_v1", "kubernetes_cluster_role"),
    ("kubernetes_role_binding_v1", "kubernetes_role_binding"),
    (
        "kubernetes_cluster_role_binding_v1",
        "kubernetes_cluster_role_binding",
    ),
];

/// The canonical name of a type in any spelling: Terraform types (after aliases) are canonical,
/// Pulumi tokens map through [`PULUMI_TYPES`]; a token not in the table is its own canonical name.
pub fn canonical_type(type_: &str) -> Cow<'_, str> {
    if type_.contains(':') {
        // policies ask for every resource they see: a table, not a scan of the token list
        static BY_TOKEN: std::sync::OnceLock<std::collections::HashMap<&str, &str>> =
            std::sync::OnceLock::new();
        let by_token = BY_TOKEN.get_or_init(|| {
            let mut map =
                std::collections::HashMap::with_capacity(PULUMI_TYPES.len() + AZURE_TYPES.len());
            for (token, tf) in PULUMI_TYPES.iter().chain(AZURE_TYPES) {
                // the first entry of a token wins, as the scan it replaces found it
                map.entry(*token).or_insert(*tf);
            }
            map
        });
        return Cow::Borrowed(by_token.get(type_).copied().unwrap_or(type_));
    }
    // A scan, not a hash map: catalog rules ask for the canonical type of every resource they
    // see, almost always a Terraform type that is no alias. Over these few entries a scan mostly
    // compares lengths, while hashing the name (SipHash) cost 7 % of a whole run on the 100k AWS
    // benchmark plan (BENCHMARKS.md, run F).
    match TERRAFORM_ALIASES.iter().find(|(alias, _)| *alias == type_) {
        Some((_, canonical)) => Cow::Borrowed(canonical),
        None => Cow::Borrowed(type_),
    }
}

/// Every spelling of a canonical type: itself and the Pulumi tokens that map to it.
pub fn spellings(canonical: &str) -> Vec<&str> {
    let mut out = vec![canonical];
    out.extend(
        PULUMI_TYPES
            .iter()
            .chain(AZURE_TYPES)
            .filter(|(_, tf)| *tf == canonical)
            .map(|(token, _)| *token),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pulumi_and_terraform_spellings_meet() {
        assert_eq!(canonical_type("aws:s3/bucket:Bucket"), "aws_s3_bucket");
        assert_eq!(canonical_type("aws:s3/bucketV2:BucketV2"), "aws_s3_bucket");
        assert_eq!(canonical_type("aws_s3_bucket"), "aws_s3_bucket");
        assert_eq!(
            canonical_type("aws_alb_target_group"),
            "aws_lb_target_group"
        );
        assert_eq!(
            canonical_type("aws:alb/targetGroup:TargetGroup"),
            "aws_lb_target_group"
        );
        assert_eq!(
            canonical_type("acme:index:Microservice"),
            "acme:index:Microservice"
        );
    }

    #[test]
    fn table_has_no_duplicate_tokens() {
        let mut tokens: Vec<_> = PULUMI_TYPES
            .iter()
            .chain(AZURE_TYPES)
            .map(|(t, _)| *t)
            .collect();
        tokens.sort_unstable();
        let before = tokens.len();
        tokens.dedup();
        assert_eq!(before, tokens.len());
    }

    #[test]
    fn terraform_aliases_are_unique_and_resolve() {
        let mut aliases: Vec<_> = TERRAFORM_ALIASES.iter().map(|(a, _)| *a).collect();
        aliases.sort_unstable();
        let before = aliases.len();
        aliases.dedup();
        assert_eq!(before, aliases.len());
        assert_eq!(
            canonical_type("kubernetes_cluster_role_binding_v1"),
            "kubernetes_cluster_role_binding"
        );
        assert_eq!(
            canonical_type("kubernetes_deployment_v1"),
            "kubernetes_deployment"
        );
        assert_eq!(
            canonical_type("kubernetes_deployment"),
            "kubernetes_deployment"
        );
    }

    #[test]
    fn azure_spellings_meet_at_azurerm() {
        for token in [
            "azurerm_key_vault",
            "azure:keyvault/keyVault:KeyVault",
            "azure-native:keyvault:Vault",
        ] {
            assert_eq!(canonical_type(token), "azurerm_key_vault");
        }
        assert_eq!(spellings("azurerm_storage_account").len(), 3);
    }

    #[test]
    fn kubernetes_tokens_and_v1_resources_meet() {
        assert_eq!(
            canonical_type("kubernetes:apps/v1:Deployment"),
            "kubernetes_deployment"
        );
        assert_eq!(
            canonical_type("kubernetes_deployment_v1"),
            "kubernetes_deployment"
        );
        assert_eq!(
            canonical_type("kubernetes_daemon_set_v1"),
            "kubernetes_daemonset"
        );
        assert_eq!(
            canonical_type("kubernetes:networking.k8s.io/v1:Ingress"),
            "kubernetes_ingress_v1"
        );
    }

    #[test]
    fn spellings_list_both_families() {
        let s = spellings("aws_s3_bucket_server_side_encryption_configuration");
        assert_eq!(s.len(), 3);
    }
}
