import type { PartitionId } from '../session/regions';
import { ConsoleError } from './errors';
import { globalConsoleHost, partitionFor, regionalConsoleUrl } from './hosts';

/** One entry of the "Open AWS Console" picker. */
export interface ConsoleService {
  /** Short name users type (mostly the CLI/SDK name); unique. */
  slug: string;
  name: string;
  category: string;
  /** The service's console page in a region; the host follows the region's partition. */
  url(region: string): string;
  /** Partitions where the page exists; every partition when absent. */
  partitions?: readonly PartitionId[];
}

type Entry = [slug: string, name: string, page: (region: string) => string, partitions?: readonly PartitionId[]];

const regionalPage =
  (path: string, fragment = '') =>
  (region: string) =>
    regionalConsoleUrl(region, path, fragment);

/** A global service's page (IAM, Route 53, billing...) on the partition's global console host. */
const globalPage =
  (pathAndFragment: string) =>
  (region: string) =>
    `${globalConsoleHost(region)}/${pathAndFragment}`;

/** Services on their own site rather than the console host; these exist in the commercial partition only. */
const ownSitePage = (url: string) => () => url;
const COMMERCIAL_ONLY: readonly PartitionId[] = ['aws'];

const CATALOGUE: Record<string, Entry[]> = {
  Compute: [
    ['ec2', 'EC2', regionalPage('ec2/home', '#Home:')],
    ['lambda', 'Lambda', regionalPage('lambda/home', '#/functions')],
    ['ecs', 'Elastic Container Service (ECS)', regionalPage('ecs/v2/clusters')],
    ['eks', 'Elastic Kubernetes Service (EKS)', regionalPage('eks/home', '#/clusters')],
    ['ecr', 'Elastic Container Registry (ECR)', regionalPage('ecr/repositories')],
    ['batch', 'Batch', regionalPage('batch/home')],
    ['elasticbeanstalk', 'Elastic Beanstalk', regionalPage('elasticbeanstalk/home')],
    ['lightsail', 'Lightsail', ownSitePage('https://lightsail.aws.amazon.com/ls/webapp/home/instances'), COMMERCIAL_ONLY],
    ['autoscaling', 'EC2 Auto Scaling', regionalPage('ec2/home', '#AutoScalingGroups:')],
    ['elb', 'Elastic Load Balancing', regionalPage('ec2/home', '#LoadBalancers:')],
    ['ebs', 'Elastic Block Store (EBS) volumes', regionalPage('ec2/home', '#Volumes:')],
    ['imagebuilder', 'EC2 Image Builder', regionalPage('imagebuilder/home')],
    ['apprunner', 'App Runner', regionalPage('apprunner/home')],
    ['serverlessrepo', 'Serverless Application Repository', regionalPage('serverlessrepo/home')],
    ['outposts', 'Outposts', regionalPage('outposts/home')],
    ['compute-optimizer', 'Compute Optimizer', regionalPage('compute-optimizer/home')],
    ['ec2globalview', 'EC2 Global View', globalPage('ec2globalview/home')],
  ],
  Storage: [
    ['s3', 'S3', regionalPage('s3/home')],
    ['efs', 'Elastic File System (EFS)', regionalPage('efs/home')],
    ['fsx', 'FSx', regionalPage('fsx/home')],
    ['glacier', 'S3 Glacier', regionalPage('glacier/home')],
    ['storagegateway', 'Storage Gateway', regionalPage('storagegateway/home')],
    ['backup', 'Backup', regionalPage('backup/home')],
    ['datasync', 'DataSync', regionalPage('datasync/home')],
    ['transfer', 'Transfer Family', regionalPage('transfer/home')],
    ['snowball', 'Snow Family', regionalPage('importexport/home')],
  ],
  Database: [
    ['rds', 'RDS', regionalPage('rds/home')],
    ['dynamodb', 'DynamoDB', regionalPage('dynamodbv2/home')],
    ['elasticache', 'ElastiCache', regionalPage('elasticache/home')],
    ['memorydb', 'MemoryDB', regionalPage('memorydb/home')],
    ['neptune', 'Neptune', regionalPage('neptune/home')],
    ['docdb', 'DocumentDB', regionalPage('docdb/home')],
    ['redshift', 'Redshift', regionalPage('redshiftv2/home')],
    ['keyspaces', 'Keyspaces (for Apache Cassandra)', regionalPage('keyspaces/home')],
    ['timestream', 'Timestream', regionalPage('timestream/home')],
    ['dms', 'Database Migration Service (DMS)', regionalPage('dms/v2/home')],
  ],
  'Networking & content delivery': [
    ['vpc', 'VPC', regionalPage('vpcconsole/home')],
    ['transitgateway', 'Transit Gateways', regionalPage('vpcconsole/home', '#TransitGateways:')],
    ['network-firewall', 'Network Firewall', regionalPage('vpcconsole/home', '#NetworkFirewalls:')],
    ['route53', 'Route 53', globalPage('route53/v2/home')],
    ['cloudfront', 'CloudFront', globalPage('cloudfront/v4/home')],
    ['apigateway', 'API Gateway', regionalPage('apigateway/main/apis')],
    ['directconnect', 'Direct Connect', regionalPage('directconnect/v2/home')],
    ['globalaccelerator', 'Global Accelerator', globalPage('globalaccelerator/home')],
    ['cloudmap', 'Cloud Map', regionalPage('cloudmap/home')],
    ['networkmanager', 'Network Manager', globalPage('networkmanager/home')],
  ],
  'Security, identity & compliance': [
    ['iam', 'IAM', globalPage('iam/home')],
    ['sso', 'IAM Identity Center', regionalPage('singlesignon/home')],
    ['access-analyzer', 'IAM Access Analyzer', regionalPage('access-analyzer/home')],
    ['organizations', 'Organizations', globalPage('organizations/v2/home')],
    ['controltower', 'Control Tower', regionalPage('controltower/home')],
    ['cognito', 'Cognito', regionalPage('cognito/home')],
    ['kms', 'Key Management Service (KMS)', regionalPage('kms/home')],
    ['secretsmanager', 'Secrets Manager', regionalPage('secretsmanager/home')],
    ['acm', 'Certificate Manager (ACM)', regionalPage('acm/home')],
    ['acm-pca', 'Private Certificate Authority', regionalPage('acm-pca/home')],
    ['cloudhsm', 'CloudHSM', regionalPage('cloudhsm/home')],
    ['waf', 'WAF', regionalPage('wafv2/homev2')],
    ['shield', 'Shield', globalPage('wafv2/shieldv2')],
    ['fms', 'Firewall Manager', regionalPage('wafv2/fmsv2/home')],
    ['guardduty', 'GuardDuty', regionalPage('guardduty/home')],
    ['inspector', 'Inspector', regionalPage('inspector/v2/home')],
    // Macie Classic lived on mt.<region>.macie.aws.amazon.com; today's Macie is an ordinary console page.
    ['macie', 'Macie', regionalPage('macie/home')],
    ['securityhub', 'Security Hub', regionalPage('securityhub/home')],
    ['detective', 'Detective', regionalPage('detective/home')],
    ['securitylake', 'Security Lake', regionalPage('securitylake/home')],
    ['auditmanager', 'Audit Manager', regionalPage('auditmanager/home')],
    ['artifact', 'Artifact', globalPage('artifact/home')],
    ['ds', 'Directory Service', regionalPage('directoryservicev2/home')],
    ['ram', 'Resource Access Manager (RAM)', regionalPage('ram/home')],
    ['verifiedpermissions', 'Verified Permissions', regionalPage('verifiedpermissions/home')],
  ],
  'Management & governance': [
    ['console', 'Console Home', regionalPage('console/home')],
    ['cloudwatch', 'CloudWatch', regionalPage('cloudwatch/home')],
    ['logs', 'CloudWatch Logs', regionalPage('cloudwatch/home', '#logsV2:log-groups')],
    ['cloudformation', 'CloudFormation', regionalPage('cloudformation/home')],
    ['cloudtrail', 'CloudTrail', regionalPage('cloudtrail/home')],
    ['config', 'Config', regionalPage('config/home')],
    ['ssm', 'Systems Manager', regionalPage('systems-manager/home')],
    ['session-manager', 'Systems Manager Session Manager', regionalPage('systems-manager/session-manager')],
    ['parameter-store', 'Systems Manager Parameter Store', regionalPage('systems-manager/parameters')],
    ['appconfig', 'AppConfig', regionalPage('systems-manager/appconfig')],
    ['servicecatalog', 'Service Catalog', regionalPage('servicecatalog/home')],
    ['trustedadvisor', 'Trusted Advisor', globalPage('trustedadvisor/home')],
    ['health', 'Health Dashboard', ownSitePage('https://health.aws.amazon.com/health/home'), COMMERCIAL_ONLY],
    ['resource-groups', 'Resource Groups', regionalPage('resource-groups/home')],
    ['tag-editor', 'Tag Editor', regionalPage('resource-groups/tag-editor/find-resources')],
    ['license-manager', 'License Manager', regionalPage('license-manager/home')],
    ['grafana', 'Managed Grafana', regionalPage('grafana/home')],
    ['prometheus', 'Managed Service for Prometheus', regionalPage('prometheus/home')],
    ['xray', 'X-Ray', regionalPage('xray/home')],
    ['cloudshell', 'CloudShell', regionalPage('cloudshell/home')],
    ['servicequotas', 'Service Quotas', regionalPage('servicequotas/home')],
    ['wellarchitected', 'Well-Architected Tool', regionalPage('wellarchitected/home')],
    ['resiliencehub', 'Resilience Hub', regionalPage('resiliencehub/home')],
    ['launchwizard', 'Launch Wizard', regionalPage('launchwizard/home')],
    ['chatbot', 'Chatbot', globalPage('chatbot/home')],
  ],
  'Cloud financial management': [
    ['billing', 'Billing', globalPage('billing/home')],
    ['cost-explorer', 'Cost Explorer', globalPage('costmanagement/home#/cost-explorer')],
    ['budgets', 'Budgets', globalPage('costmanagement/home#/budgets')],
    ['marketplace', 'Marketplace', globalPage('marketplace/home')],
    ['support', 'Support Center', globalPage('support/home')],
  ],
  'Application integration': [
    ['sns', 'Simple Notification Service (SNS)', regionalPage('sns/v3/home')],
    ['sqs', 'Simple Queue Service (SQS)', regionalPage('sqs/v3/home')],
    ['eventbridge', 'EventBridge', regionalPage('events/home')],
    ['scheduler', 'EventBridge Scheduler', regionalPage('scheduler/home', '#schedules')],
    ['stepfunctions', 'Step Functions', regionalPage('states/home')],
    ['mq', 'Amazon MQ', regionalPage('amazon-mq/home')],
    ['appflow', 'AppFlow', regionalPage('appflow/home')],
    ['mwaa', 'Managed Workflows for Apache Airflow', regionalPage('mwaa/home')],
    ['appsync', 'AppSync', regionalPage('appsync/home')],
    ['ses', 'Simple Email Service (SES)', regionalPage('ses/home')],
    ['pinpoint', 'Pinpoint', regionalPage('pinpoint/home')],
  ],
  Analytics: [
    ['athena', 'Athena', regionalPage('athena/home')],
    ['emr', 'EMR', regionalPage('emr/home')],
    ['glue', 'Glue', regionalPage('glue/home')],
    ['databrew', 'Glue DataBrew', regionalPage('databrew/home')],
    ['kinesis', 'Kinesis Data Streams', regionalPage('kinesis/home')],
    ['firehose', 'Data Firehose', regionalPage('firehose/home')],
    ['kinesisvideo', 'Kinesis Video Streams', regionalPage('kinesisvideo/home')],
    ['msk', 'Managed Streaming for Apache Kafka (MSK)', regionalPage('msk/home')],
    ['opensearch', 'OpenSearch Service', regionalPage('aos/home')],
    ['lakeformation', 'Lake Formation', regionalPage('lakeformation/home')],
    ['datazone', 'DataZone', regionalPage('datazone/home')],
    ['dataexchange', 'Data Exchange', regionalPage('dataexchange/home')],
    ['cleanrooms', 'Clean Rooms', regionalPage('cleanrooms/home')],
    // QuickSight is its own site; it sends the user on to the account's QuickSight identity region.
    ['quicksight', 'QuickSight', ownSitePage('https://quicksight.aws.amazon.com/sn/start'), COMMERCIAL_ONLY],
  ],
  'Machine learning': [
    ['sagemaker', 'SageMaker', regionalPage('sagemaker/home')],
    ['bedrock', 'Bedrock', regionalPage('bedrock/home')],
    ['comprehend', 'Comprehend', regionalPage('comprehend/home')],
    ['rekognition', 'Rekognition', regionalPage('rekognition/home')],
    ['polly', 'Polly', regionalPage('polly/home')],
    ['transcribe', 'Transcribe', regionalPage('transcribe/home')],
    ['translate', 'Translate', regionalPage('translate/home')],
    ['textract', 'Textract', regionalPage('textract/home')],
    ['lex', 'Lex', regionalPage('lexv2/home')],
    ['kendra', 'Kendra', regionalPage('kendra/home')],
    ['personalize', 'Personalize', regionalPage('personalize/home')],
  ],
  'Developer tools': [
    ['codecommit', 'CodeCommit', regionalPage('codesuite/codecommit/repositories')],
    ['codebuild', 'CodeBuild', regionalPage('codesuite/codebuild/projects')],
    ['codedeploy', 'CodeDeploy', regionalPage('codesuite/codedeploy/applications')],
    ['codepipeline', 'CodePipeline', regionalPage('codesuite/codepipeline/pipelines')],
    ['codeartifact', 'CodeArtifact', regionalPage('codesuite/codeartifact/home')],
    ['codeguru', 'CodeGuru', regionalPage('codeguru/home')],
    ['amplify', 'Amplify', regionalPage('amplify/home')],
    ['devicefarm', 'Device Farm', regionalPage('devicefarm/home')],
    ['fis', 'Fault Injection Service', regionalPage('fis/home')],
  ],
  'Business applications & end-user computing': [
    // The Chime app's admin site (chime.aws.amazon.com) is retired; the Chime SDK has its own console path.
    ['chime-sdk', 'Chime SDK', regionalPage('chime-sdk/home')],
    ['connect', 'Connect', regionalPage('connect/home')],
    ['workmail', 'WorkMail', regionalPage('workmail/home')],
    ['workspaces', 'WorkSpaces', regionalPage('workspaces/home')],
    ['appstream', 'AppStream 2.0', regionalPage('appstream2/home')],
  ],
  'Internet of Things': [
    ['iot', 'IoT Core', regionalPage('iot/home')],
    ['iotevents', 'IoT Events', regionalPage('iotevents/home')],
    ['iotsitewise', 'IoT SiteWise', regionalPage('iotsitewise/home')],
    ['iottwinmaker', 'IoT TwinMaker', regionalPage('iottwinmaker/home')],
  ],
  'Media services': [
    ['mediaconvert', 'Elemental MediaConvert', regionalPage('mediaconvert/home')],
    ['medialive', 'Elemental MediaLive', regionalPage('medialive/home')],
    ['mediapackage', 'Elemental MediaPackage', regionalPage('mediapackage/home')],
    ['mediaconnect', 'Elemental MediaConnect', regionalPage('mediaconnect/home')],
    ['ivs', 'Interactive Video Service (IVS)', regionalPage('ivs/home')],
  ],
  'Migration & more': [
    ['migrationhub', 'Migration Hub', regionalPage('migrationhub/home')],
    ['mgn', 'Application Migration Service', regionalPage('mgn/home')],
    ['drs', 'Elastic Disaster Recovery', regionalPage('drs/home')],
    ['discovery', 'Application Discovery Service', regionalPage('discovery/home')],
    ['gamelift', 'GameLift', regionalPage('gamelift/home')],
    ['managedblockchain', 'Managed Blockchain', regionalPage('managedblockchain/home')],
    ['braket', 'Braket', regionalPage('braket/home')],
    ['groundstation', 'Ground Station', regionalPage('groundstation/home')],
    ['location', 'Location Service', regionalPage('location/home')],
    ['signer', 'Signer', regionalPage('signer/home')],
    ['devops-guru', 'DevOps Guru', regionalPage('devops-guru/home')],
  ],
};

export const CONSOLE_SERVICES: readonly ConsoleService[] = Object.entries(CATALOGUE).flatMap(([category, entries]) =>
  entries.map(([slug, name, page, partitions]) => ({
    slug,
    name,
    category,
    partitions,
    url(region: string): string {
      const partition = partitionFor(region);
      if (partitions && !partitions.includes(partition)) {
        throw new ConsoleError('invalid-input', `${name} has no console in the ${partition} partition (${region}).`);
      }
      return page(region);
    },
  })),
);

const BY_SLUG = new Map(CONSOLE_SERVICES.map((s) => [s.slug, s]));

export function serviceBySlug(slug: string): ConsoleService | undefined {
  return BY_SLUG.get(slug.toLowerCase());
}

/** The services whose console exists in the region's partition, for the picker. */
export function servicesFor(region: string): ConsoleService[] {
  const partition = partitionFor(region);
  return CONSOLE_SERVICES.filter((s) => !s.partitions || s.partitions.includes(partition));
}
