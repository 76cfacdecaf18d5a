import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONSOLE_SERVICES, serviceBySlug, servicesFor } from '../../../../src/core/console/services';
import type { PartitionId } from '../../../../src/core/session/regions';

const REGIONS: Record<PartitionId, string[]> = {
  aws: ['us-east-1', 'eu-central-1', 'ap-southeast-2'],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-west-1', 'us-gov-east-1'],
};
const CONSOLE_HOSTS: Record<PartitionId, RegExp> = {
  aws: /^(([a-z0-9-]+\.)?console\.aws\.amazon\.com|[a-z]+\.aws\.amazon\.com)$/,
  'aws-cn': /^console\.amazonaws\.cn$/,
  'aws-us-gov': /^console\.amazonaws-us-gov\.com$/,
};

describe('console service catalogue', () => {
  it('has at least 100 services with unique slugs and names', () => {
    assert.ok(CONSOLE_SERVICES.length >= 100, `${CONSOLE_SERVICES.length} services`);
    assert.equal(new Set(CONSOLE_SERVICES.map((s) => s.slug)).size, CONSOLE_SERVICES.length);
    assert.equal(new Set(CONSOLE_SERVICES.map((s) => s.name)).size, CONSOLE_SERVICES.length);
    for (const s of CONSOLE_SERVICES) assert.match(s.slug, /^[a-z0-9-]+$/, s.slug);
  });

  it('gives every entry a valid https URL on the right host in every partition it exists in', () => {
    let checked = 0;
    for (const [partition, regions] of Object.entries(REGIONS) as Array<[PartitionId, string[]]>) {
      for (const region of regions) {
        for (const service of servicesFor(region)) {
          const url = new URL(service.url(region));
          assert.equal(url.protocol, 'https:', service.slug);
          assert.match(url.host, CONSOLE_HOSTS[partition], `${service.slug} ${region}: ${url.host}`);
          assert.ok(!url.href.includes('undefined') && !url.pathname.includes('//'), url.href);
          // A regional page names its region; the host carries it too in the commercial partition.
          if (url.searchParams.has('region')) {
            assert.equal(url.searchParams.get('region'), region, url.href);
            if (partition === 'aws') assert.equal(url.host, `${region}.console.aws.amazon.com`);
          }
          checked++;
        }
      }
    }
    assert.ok(checked > 600, `${checked} URLs`);
  });

  it('leaves own-site services out of China and GovCloud and refuses to build them there', () => {
    const quicksight = serviceBySlug('quicksight');
    assert.ok(quicksight);
    assert.ok(!servicesFor('cn-north-1').includes(quicksight));
    assert.ok(servicesFor('us-east-1').includes(quicksight));
    assert.throws(() => quicksight.url('us-gov-west-1'), /no console in the aws-us-gov partition/);
  });

  it('uses the real console paths of services whose URL is not /<slug>/home', () => {
    const url = (slug: string, region: string) => serviceBySlug(slug)?.url(region);
    assert.equal(url('ec2', 'eu-west-1'), 'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Home:');
    assert.equal(url('vpc', 'eu-west-1'), 'https://eu-west-1.console.aws.amazon.com/vpcconsole/home?region=eu-west-1');
    assert.equal(url('s3', 'us-west-2'), 'https://us-west-2.console.aws.amazon.com/s3/home?region=us-west-2');
    assert.equal(url('iam', 'eu-west-1'), 'https://console.aws.amazon.com/iam/home');
    assert.equal(url('route53', 'eu-west-1'), 'https://console.aws.amazon.com/route53/v2/home');
    assert.equal(url('billing', 'eu-west-1'), 'https://console.aws.amazon.com/billing/home');
    assert.equal(url('cloudformation', 'ap-south-1'), 'https://ap-south-1.console.aws.amazon.com/cloudformation/home?region=ap-south-1');
    assert.equal(url('quicksight', 'eu-west-1'), 'https://quicksight.aws.amazon.com/sn/start');
    assert.equal(url('chime-sdk', 'us-east-1'), 'https://us-east-1.console.aws.amazon.com/chime-sdk/home?region=us-east-1');
    assert.equal(url('macie', 'us-east-1'), 'https://us-east-1.console.aws.amazon.com/macie/home?region=us-east-1');
    assert.equal(url('dynamodb', 'us-east-1'), 'https://us-east-1.console.aws.amazon.com/dynamodbv2/home?region=us-east-1');
    assert.equal(url('ssm', 'us-east-1'), 'https://us-east-1.console.aws.amazon.com/systems-manager/home?region=us-east-1');
    assert.equal(url('stepfunctions', 'us-east-1'), 'https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1');
    assert.equal(url('opensearch', 'us-east-1'), 'https://us-east-1.console.aws.amazon.com/aos/home?region=us-east-1');
    assert.equal(url('ec2', 'cn-north-1'), 'https://console.amazonaws.cn/ec2/home?region=cn-north-1#Home:');
    assert.equal(url('iam', 'us-gov-west-1'), 'https://console.amazonaws-us-gov.com/iam/home');
  });

  it('finds services by slug case-insensitively and rejects unknown regions', () => {
    assert.equal(serviceBySlug('EC2')?.name, 'EC2');
    assert.equal(serviceBySlug('nope'), undefined);
    assert.throws(() => serviceBySlug('ec2')?.url('evil.example.com#'), /Unknown region/);
    assert.throws(() => servicesFor('mars-1'), /Unknown region/);
  });
});
