import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findArn, parseArn } from '../../../../src/core/console/arn';
import { ConsoleError } from '../../../../src/core/console/errors';
import { resourcePage } from '../../../../src/core/console/resourcePages';

const ACCOUNT = '123456789012';
const page = (text: string, region = 'eu-west-1') => resourcePage(text, region);

describe('parseArn / findArn', () => {
  it('splits an ARN into partition, service, region, account and resource', () => {
    assert.deepEqual(parseArn(`arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0abc12345678def00`), {
      text: `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0abc12345678def00`, partition: 'aws', service: 'ec2', region: 'eu-west-1', account: ACCOUNT, resource: 'instance/i-0abc12345678def00',
    });
    assert.equal(parseArn('arn:aws:s3:::my-bucket')?.resource, 'my-bucket');
    assert.equal(parseArn('arn:aws:iam::aws:policy/AdministratorAccess')?.account, 'aws');
    assert.equal(parseArn('arn:aws-iso:ec2:us-iso-east-1:123456789012:vpc/vpc-1'), undefined);
    assert.equal(parseArn('not an arn'), undefined);
  });

  it('finds the first ARN in JSON, a log line or a sentence', () => {
    assert.equal(findArn(`{"RoleArn": "arn:aws:iam::${ACCOUNT}:role/ops/Deployer", "x": 1}`)?.resource, 'role/ops/Deployer');
    assert.equal(findArn(`see arn:aws:sns:eu-west-1:${ACCOUNT}:alerts.`)?.resource, 'alerts');
  });
});

describe('resourcePage', () => {
  it('opens the resource pages the tree rows open for EC2 ARNs and bare ids', () => {
    assert.equal(page(`arn:aws:ec2:us-east-2:${ACCOUNT}:route-table/rtb-0123456789abcdef0`).url, 'https://us-east-2.console.aws.amazon.com/vpcconsole/home?region=us-east-2#RouteTableDetails:RouteTableId=rtb-0123456789abcdef0');
    assert.deepEqual(page('  i-0abc12345678def00\n'), {
      url: 'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#InstanceDetails:instanceId=i-0abc12345678def00', region: 'eu-west-1', what: 'i-0abc12345678def00',
    });
    assert.match(page('"NetworkInterfaceId": "eni-0123456789abcdef0"').url, /#NetworkInterface:networkInterfaceId=eni-0123456789abcdef0$/);
    assert.match(page('subnet-0123456789abcdef0').url, /vpcconsole\/home\?region=eu-west-1#SubnetDetails:subnetId=subnet-0123456789abcdef0$/);
    assert.match(page(`arn:aws:ec2:eu-west-1:${ACCOUNT}:security-group/sg-0123456789abcdef0`).url, /ec2\/home\?region=eu-west-1#SecurityGroup:groupId=sg-0123456789abcdef0$/);
  });

  it('opens own pages of common services in the ARN\'s region, names encoded', () => {
    const cases: Array<[string, string]> = [
      [`arn:aws:lambda:eu-central-1:${ACCOUNT}:function:orders:live`, 'https://eu-central-1.console.aws.amazon.com/lambda/home?region=eu-central-1#/functions/orders'],
      [`arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/Orders`, 'https://eu-west-1.console.aws.amazon.com/dynamodbv2/home?region=eu-west-1#table?name=Orders'],
      [`arn:aws:cloudformation:eu-west-1:${ACCOUNT}:stack/web/0f1e2d3c`, `https://eu-west-1.console.aws.amazon.com/cloudformation/home?region=eu-west-1#/stacks/stackinfo?stackId=${encodeURIComponent(`arn:aws:cloudformation:eu-west-1:${ACCOUNT}:stack/web/0f1e2d3c`)}`],
      [`arn:aws:scheduler:eu-west-1:${ACCOUNT}:schedule/default/jumpbox-start`, 'https://eu-west-1.console.aws.amazon.com/scheduler/home?region=eu-west-1#schedules/default/jumpbox-start'],
      [`arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/lambda/orders:*`, 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws$252Flambda$252Forders'],
      [`arn:aws:rds:eu-west-1:${ACCOUNT}:db:orders-db`, 'https://eu-west-1.console.aws.amazon.com/rds/home?region=eu-west-1#database:id=orders-db;is-cluster=false'],
      [`arn:aws:sns:eu-west-1:${ACCOUNT}:alerts`, `https://eu-west-1.console.aws.amazon.com/sns/v3/home?region=eu-west-1#/topic/arn:aws:sns:eu-west-1:${ACCOUNT}:alerts`],
      [`arn:aws:sqs:eu-west-1:${ACCOUNT}:jobs`, `https://eu-west-1.console.aws.amazon.com/sqs/v3/home?region=eu-west-1#/queues/${encodeURIComponent(`https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/jobs`)}`],
    ];
    for (const [arn, url] of cases) assert.equal(page(arn).url, url, arn);
  });

  it('opens global resources on the partition\'s global console, in the default region when it is in that partition', () => {
    assert.deepEqual(page(`arn:aws:iam::${ACCOUNT}:role/ops/Deployer`), { url: 'https://console.aws.amazon.com/iam/home#/roles/details/Deployer', region: 'eu-west-1', what: 'IAM role Deployer' });
    assert.equal(page(`arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/alice`).url, 'https://console.aws.amazon.com/iam/home#/roles/details/Deployer');
    assert.equal(page('arn:aws:s3:::my-bucket/some/key.txt').url, 'https://console.aws.amazon.com/s3/buckets/my-bucket');
    assert.deepEqual(page(`arn:aws-cn:iam::${ACCOUNT}:user/alice`), { url: 'https://console.amazonaws.cn/iam/home#/users/details/alice', region: 'cn-north-1', what: 'IAM user alice' });
    assert.equal(page('arn:aws:route53:::hostedzone/Z0123456789ABC').url, 'https://console.aws.amazon.com/route53/v2/hostedzones#ListRecordSets/Z0123456789ABC');
  });

  it('opens the service page in the ARN\'s region when the resource has no page of its own', () => {
    assert.deepEqual(page(`arn:aws:states:ap-south-1:${ACCOUNT}:stateMachine:orders`), {
      url: 'https://ap-south-1.console.aws.amazon.com/states/home?region=ap-south-1', region: 'ap-south-1', what: 'Step Functions (stateMachine:orders)',
    });
    assert.match(page(`arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT}:loadbalancer/app/web/50dc6c495c0c9188`).url, /^https:\/\/eu-west-1\.console\.aws\.amazon\.com\/ec2\/home\?region=eu-west-1#LoadBalancers:$/);
  });

  it('refuses text without an ARN or id it knows, an unknown service and an invalid region, saying why', () => {
    assert.throws(() => page('hello world'), (e: unknown) => e instanceof ConsoleError && /no ARN and no resource id/.test(e.message));
    assert.throws(() => page(`arn:aws:constructor:eu-west-1:${ACCOUNT}:x/y`), /no console page for the service "constructor"/);
    assert.throws(() => page(`arn:aws:lambda:mars-north-1:${ACCOUNT}:function:f`), /Unknown region/);
  });
});
