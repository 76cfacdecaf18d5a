import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resourceConsoleUrl } from '../../../../src/core/console/deepLinks';

describe('console deep links', () => {
  it('opens EC2 and VPC resources on their detail pages', () => {
    assert.equal(
      resourceConsoleUrl({ kind: 'route-table', id: 'rtb-0123456789abcdef0' }, 'eu-west-1'),
      'https://eu-west-1.console.aws.amazon.com/vpcconsole/home?region=eu-west-1#RouteTableDetails:RouteTableId=rtb-0123456789abcdef0',
    );
    assert.equal(
      resourceConsoleUrl({ kind: 'vpc', id: 'vpc-1a2b3c4d' }, 'eu-west-1'),
      'https://eu-west-1.console.aws.amazon.com/vpcconsole/home?region=eu-west-1#VpcDetails:VpcId=vpc-1a2b3c4d',
    );
    assert.equal(
      resourceConsoleUrl({ kind: 'instance', id: 'i-0123456789abcdef0' }, 'cn-north-1'),
      'https://console.amazonaws.cn/ec2/home?region=cn-north-1#InstanceDetails:instanceId=i-0123456789abcdef0',
    );
    assert.equal(
      resourceConsoleUrl({ kind: 'network-interface', id: 'eni-0a1b2c3d4e5f60718' }, 'us-gov-west-1'),
      'https://console.amazonaws-us-gov.com/ec2/home?region=us-gov-west-1#NetworkInterface:networkInterfaceId=eni-0a1b2c3d4e5f60718',
    );
  });

  it('opens a stack by ARN in the ARN\'s region, or by name in the given one', () => {
    const arn = 'arn:aws:cloudformation:ap-northeast-1:123456789012:stack/haproxy-pair/b32ba610-2941-11ef-9062-061f906d3db3';
    assert.equal(
      resourceConsoleUrl({ kind: 'cloudformation-stack', stack: arn }, 'eu-west-1'),
      'https://ap-northeast-1.console.aws.amazon.com/cloudformation/home?region=ap-northeast-1#/stacks/stackinfo?stackId=' +
        'arn%3Aaws%3Acloudformation%3Aap-northeast-1%3A123456789012%3Astack%2Fhaproxy-pair%2Fb32ba610-2941-11ef-9062-061f906d3db3',
    );
    assert.equal(
      resourceConsoleUrl({ kind: 'cloudformation-stack', stack: 'haproxy-pair' }, 'eu-west-1'),
      'https://eu-west-1.console.aws.amazon.com/cloudformation/home?region=eu-west-1#/stacks/stackinfo?stackId=haproxy-pair',
    );
  });

  it('opens a hosted zone\'s records (global page) and a schedule in its group', () => {
    assert.equal(
      resourceConsoleUrl({ kind: 'route53-record', hostedZoneId: '/hostedzone/Z1D633PJN98FT9', name: 'jump.example.com.' }, 'eu-west-1'),
      'https://console.aws.amazon.com/route53/v2/hostedzones#ListRecordSets/Z1D633PJN98FT9',
    );
    assert.equal(
      resourceConsoleUrl({ kind: 'schedule', name: 'jumpbox-start' }, 'eu-west-1'),
      'https://eu-west-1.console.aws.amazon.com/scheduler/home?region=eu-west-1#schedules/default/jumpbox-start',
    );
    assert.equal(
      resourceConsoleUrl({ kind: 'schedule', name: 'start', group: 'work-hours' }, 'eu-west-1'),
      'https://eu-west-1.console.aws.amazon.com/scheduler/home?region=eu-west-1#schedules/work-hours/start',
    );
  });

  it('refuses ids that are not of the resource\'s kind and names that could escape the fragment', () => {
    assert.throws(() => resourceConsoleUrl({ kind: 'instance', id: 'rtb-0123456789abcdef0' }, 'eu-west-1'), /not a valid instance id/);
    assert.throws(() => resourceConsoleUrl({ kind: 'vpc', id: 'vpc-1#x' }, 'eu-west-1'), /not a valid/);
    assert.throws(() => resourceConsoleUrl({ kind: 'route53-record', hostedZoneId: 'Z1/../x' }, 'eu-west-1'), /hosted zone/);
    assert.throws(() => resourceConsoleUrl({ kind: 'schedule', name: '' }, 'eu-west-1'), /not a valid name/);
    const escaped = resourceConsoleUrl({ kind: 'schedule', name: 'a/b#c' }, 'eu-west-1');
    assert.ok(escaped.endsWith('#schedules/default/a%2Fb%23c'), escaped);
  });
});
