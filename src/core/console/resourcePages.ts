import { partitionOf, type PartitionId } from '../session/regions';
import { findArn, type Arn } from './arn';
import { resourceConsoleUrl } from './deepLinks';
import { ConsoleError } from './errors';
import { globalConsoleHost, regionalConsoleUrl } from './hosts';
import { serviceBySlug } from './services';

/** A console page to open for a resource someone selected or copied. */
export interface ResourcePage {
  url: string;
  region: string;
  /** Names it in messages and the log, e.g. "Lambda function orders" or "instance i-0abc…". */
  what: string;
}

/** EC2 resource pages by the resource type an ARN names ("instance/i-…"); ids are checked before they go in a URL. */
const EC2_PAGES: Record<string, (region: string, id: string) => string> = {
  instance: (region, id) => resourceConsoleUrl({ kind: 'instance', id }, region),
  'route-table': (region, id) => resourceConsoleUrl({ kind: 'route-table', id }, region),
  'network-interface': (region, id) => resourceConsoleUrl({ kind: 'network-interface', id }, region),
  'elastic-ip': (region, id) => resourceConsoleUrl({ kind: 'elastic-ip', id }, region),
  vpc: (region, id) => resourceConsoleUrl({ kind: 'vpc', id }, region),
  subnet: (region, id) => regionalConsoleUrl(region, 'vpcconsole/home', `#SubnetDetails:subnetId=${ec2Id(id)}`),
  'security-group': (region, id) => regionalConsoleUrl(region, 'ec2/home', `#SecurityGroup:groupId=${ec2Id(id)}`),
  volume: (region, id) => regionalConsoleUrl(region, 'ec2/home', `#VolumeDetails:volumeId=${ec2Id(id)}`),
  image: (region, id) => regionalConsoleUrl(region, 'ec2/home', `#ImageDetails:imageId=${ec2Id(id)}`),
};

/** Resource ids recognised without an ARN: the EC2 kinds the views show, and subnets and security groups. */
const ID_IN_TEXT = /\b(i|rtb|eni|vpc|subnet|sg|eipalloc)-[0-9a-f]{8,17}\b/;
const ID_TYPES: Record<string, string> = { i: 'instance', rtb: 'route-table', eni: 'network-interface', vpc: 'vpc', subnet: 'subnet', sg: 'security-group', eipalloc: 'elastic-ip' };

/** The first EC2 id of the kinds above in a text. */
export function findEc2Id(text: string): string | undefined {
  return ID_IN_TEXT.exec(text)?.[0];
}

function ec2Id(id: string): string {
  if (!/^[a-z]+-[0-9a-f]{8,17}$/.test(id)) throw new ConsoleError('invalid-input', `"${id}" is not a valid EC2 id.`);
  return id;
}

/**
 * The console page of the first ARN or known resource id in `text` (pure). An ARN's own region wins; an id,
 * or an ARN of a global service, opens in `defaultRegion` (for a global ARN: if it is in the ARN's partition).
 * An ARN whose resource has no page AWS Ops knows opens its service's console page in the ARN's region.
 * Throws a ConsoleError when the text holds neither an ARN nor an id AWS Ops knows.
 */
export function resourcePage(text: string, defaultRegion: string): ResourcePage {
  const arn = findArn(text);
  if (arn) return arnPage(arn, defaultRegion);
  const id = findEc2Id(text);
  if (id) return { url: EC2_PAGES[ID_TYPES[id.split('-')[0]]](defaultRegion, id), region: defaultRegion, what: id };
  const zone = /\/hostedzone\/([A-Z0-9]{1,32})\b/.exec(text)?.[1];
  if (zone) return { url: resourceConsoleUrl({ kind: 'route53-record', hostedZoneId: zone }, defaultRegion), region: defaultRegion, what: `hosted zone ${zone}` };
  const shown = text.trim().slice(0, 80);
  throw new ConsoleError('invalid-input', `"${shown}" holds no ARN and no resource id AWS Ops knows (i-, rtb-, eni-, vpc-, subnet-, sg-, /hostedzone/).`);
}

function arnPage(arn: Arn, defaultRegion: string): ResourcePage {
  const region = arn.region || regionIn(arn.partition, defaultRegion);
  const own = entry(ARN_PAGES, arn.service)?.(arn, region);
  if (own) return { ...own, region };
  const service = serviceBySlug(entry(SERVICE_SLUGS, arn.service) ?? arn.service);
  if (!service) throw new ConsoleError('invalid-input', `AWS Ops knows no console page for the service "${arn.service}" of ${arn.text}.`);
  return { url: service.url(region), region, what: `${service.name} (${arn.resource})` };
}

/** A table entry for a key from untrusted text ("constructor" is no service). */
function entry<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** The region to open a global resource in: the default one if it is in the ARN's partition, else the partition's first. */
function regionIn(partition: PartitionId, defaultRegion: string): string {
  if (partitionOf(defaultRegion) === partition) return defaultRegion;
  return { aws: 'us-east-1', 'aws-cn': 'cn-north-1', 'aws-us-gov': 'us-gov-west-1' }[partition];
}

type PageOf = (arn: Arn, region: string) => { url: string; what: string } | undefined;

/** Resource types with a page of their own, by service namespace; the rest open the service's page. */
const ARN_PAGES: Record<string, PageOf> = {
  ec2: (arn, region) => {
    const [type, id] = arn.resource.split('/');
    const page = entry(EC2_PAGES, type);
    return page && id ? { url: page(region, id), what: `${type} ${id}` } : undefined;
  },
  cloudformation: (arn, region) =>
    arn.resource.startsWith('stack/') ? { url: resourceConsoleUrl({ kind: 'cloudformation-stack', stack: arn.text }, region), what: `stack ${arn.resource.split('/')[1]}` } : undefined,
  scheduler: (arn, region) => {
    const [type, group, name] = arn.resource.split('/');
    return type === 'schedule' && name ? { url: resourceConsoleUrl({ kind: 'schedule', group, name }, region), what: `schedule ${group}/${name}` } : undefined;
  },
  route53: (arn, region) => {
    const [type, zone] = arn.resource.split('/');
    return type === 'hostedzone' && zone ? { url: resourceConsoleUrl({ kind: 'route53-record', hostedZoneId: zone }, region), what: `hosted zone ${zone}` } : undefined;
  },
  iam: (arn, region) => {
    const [type, ...rest] = arn.resource.split('/');
    const name = rest[rest.length - 1];
    if (!name) return undefined;
    if (type === 'role' || type === 'user') return { url: `${globalConsoleHost(region)}/iam/home#/${type}s/details/${encodeURIComponent(name)}`, what: `IAM ${type} ${name}` };
    if (type === 'policy') return { url: `${globalConsoleHost(region)}/iam/home#/policies/details/${encodeURIComponent(arn.text)}`, what: `IAM policy ${name}` };
    return undefined;
  },
  // The role behind an assumed-role session: arn:aws:sts::123456789012:assumed-role/Role/session.
  sts: (arn, region) => {
    const [type, role] = arn.resource.split('/');
    return type === 'assumed-role' && role ? { url: `${globalConsoleHost(region)}/iam/home#/roles/details/${encodeURIComponent(role)}`, what: `IAM role ${role}` } : undefined;
  },
  s3: (arn, region) => {
    const bucket = arn.resource.split('/')[0];
    return { url: `${globalConsoleHost(region)}/s3/buckets/${encodeURIComponent(bucket)}`, what: `S3 bucket ${bucket}` };
  },
  lambda: (arn, region) => {
    const [type, name] = arn.resource.split(':');
    return type === 'function' && name ? { url: regionalConsoleUrl(region, 'lambda/home', `#/functions/${encodeURIComponent(name)}`), what: `Lambda function ${name}` } : undefined;
  },
  dynamodb: (arn, region) => {
    const [type, name] = arn.resource.split('/');
    return type === 'table' && name ? { url: regionalConsoleUrl(region, 'dynamodbv2/home', `#table?name=${encodeURIComponent(name)}`), what: `DynamoDB table ${name}` } : undefined;
  },
  // The SNS console names the topic by its ARN, unencoded; topic names are letters, digits, "-", "_" and ".fifo".
  sns: (arn, region) => (/^[\w:.-]+$/.test(arn.text) ? { url: regionalConsoleUrl(region, 'sns/v3/home', `#/topic/${arn.text}`), what: `SNS topic ${arn.resource}` } : undefined),
  sqs: (arn, region) =>
    arn.partition === 'aws'
      ? { url: regionalConsoleUrl(region, 'sqs/v3/home', `#/queues/${encodeURIComponent(`https://sqs.${region}.amazonaws.com/${arn.account}/${arn.resource}`)}`), what: `SQS queue ${arn.resource}` }
      : undefined,
  kms: (arn, region) => {
    const [type, id] = arn.resource.split('/');
    return type === 'key' && id ? { url: regionalConsoleUrl(region, 'kms/home', `#/kms/keys/${encodeURIComponent(id)}`), what: `KMS key ${id}` } : undefined;
  },
  rds: (arn, region) => {
    const [type, name] = arn.resource.split(':');
    if ((type !== 'db' && type !== 'cluster') || !name) return undefined;
    return { url: regionalConsoleUrl(region, 'rds/home', `#database:id=${encodeURIComponent(name)};is-cluster=${type === 'cluster'}`), what: `RDS ${type === 'db' ? 'instance' : 'cluster'} ${name}` };
  },
  logs: (arn, region) => {
    const [type, name] = arn.resource.split(':');
    // The CloudWatch console escapes the already URL-encoded group name once more, with "$25" for "%".
    return type === 'log-group' && name
      ? { url: regionalConsoleUrl(region, 'cloudwatch/home', `#logsV2:log-groups/log-group/${encodeURIComponent(name).replace(/%/g, '$25')}`), what: `log group ${name}` }
      : undefined;
  },
};

/** ARN service namespaces that differ from the console catalogue's slug. */
const SERVICE_SLUGS: Record<string, string> = {
  elasticloadbalancing: 'elb',
  states: 'stepfunctions',
  'execute-api': 'apigateway',
  events: 'eventbridge',
  es: 'opensearch',
  aoss: 'opensearch',
  kafka: 'msk',
  elasticfilesystem: 'efs',
  elasticmapreduce: 'emr',
  'cognito-idp': 'cognito',
  'cognito-identity': 'cognito',
  identitystore: 'sso',
  wafv2: 'waf',
  'waf-regional': 'waf',
  catalog: 'servicecatalog',
  dax: 'dynamodb',
  'redshift-serverless': 'redshift',
  'rds-db': 'rds',
  aps: 'prometheus',
  mobiletargeting: 'pinpoint',
  servicediscovery: 'cloudmap',
  route53resolver: 'route53',
  'codeguru-reviewer': 'codeguru',
  'codeguru-profiler': 'codeguru',
  geo: 'location',
  airflow: 'mwaa',
  'neptune-db': 'neptune',
  cassandra: 'keyspaces',
  'ssm-incidents': 'ssm',
  monitoring: 'cloudwatch',
};
