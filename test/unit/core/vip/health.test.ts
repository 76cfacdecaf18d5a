import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { vipHealth } from '../../../../src/core/vip/health';
import type { Diagnostic, RegionResult } from '../../../../src/core/vip/model';

const diag = (severity: Diagnostic['severity']): Diagnostic => ({ kind: severity === 'error' ? 'split-brain' : 'partial-coverage', severity, message: `a ${severity}` });
const region = (name: string, vips: Array<[string, Diagnostic[]]>): RegionResult => ({
  region: name,
  ok: true,
  snapshot: { region: name, instances: {}, enis: {}, subnets: {}, vpcs: [{ vpcId: `vpc-${name}`, cidrs: [], routeTables: [], vips: vips.map(([cidr, diagnostics]) => ({ cidr, routes: [], diagnostics })) }] },
});

describe('vipHealth', () => {
  it('counts VIPs and those with problems, and names the first error before any earlier warning', () => {
    const health = vipHealth([
      region('eu-west-1', [['10.9.0.1/32', []], ['10.9.0.2/32', [diag('warning')]]]),
      region('us-east-1', [['10.9.0.3/32', [diag('error'), diag('warning')]]]),
      { region: 'ap-south-1', ok: false, error: { code: 'AccessDenied', message: 'no', hint: '' } },
    ]);
    assert.equal(health.vips, 3);
    assert.equal(health.withProblems, 2);
    assert.equal(health.worst, 'error');
    assert.deepEqual(health.failedRegions, ['ap-south-1']);
    assert.deepEqual(health.first, { region: 'us-east-1', vpcId: 'vpc-us-east-1', cidr: '10.9.0.3/32', message: 'a error' });
  });

  it('is healthy with no problems', () => {
    const health = vipHealth([region('eu-west-1', [['10.9.0.1/32', []]])]);
    assert.equal(health.withProblems, 0);
    assert.equal(health.worst, undefined);
    assert.equal(health.first, undefined);
  });

  it('counts a pair\'s Elastic IP with a problem (with the pair tag key) and names it first, as an error', () => {
    const tagged = (instanceId: string, subnetId: string) => ({ instanceId, name: instanceId, state: 'running', vpcId: 'vpc-edge', subnetId, tags: { 'awsops:pair': 'edge' } });
    const edge: RegionResult = {
      region: 'eu-west-1',
      ok: true,
      snapshot: {
        region: 'eu-west-1',
        instances: { 'i-a': tagged('i-a', 'subnet-a'), 'i-b': tagged('i-b', 'subnet-b') },
        enis: {},
        subnets: { 'subnet-a': { availabilityZone: 'eu-west-1a', vpcId: 'vpc-edge', public: true }, 'subnet-b': { availabilityZone: 'eu-west-1b', vpcId: 'vpc-edge', public: true } },
        vpcs: [{ vpcId: 'vpc-edge', cidrs: [], routeTables: [], vips: [{ cidr: '10.9.0.1/32', routes: [], diagnostics: [diag('warning')] }] }],
        addresses: [{ allocationId: 'eipalloc-1', publicIp: '3.3.3.3', tags: { 'awsops:pair': 'edge' } }],
      },
    };
    assert.equal(vipHealth([edge]).withProblems, 1, 'without the pair tag key: route VIPs only');
    const health = vipHealth([edge], 'awsops:pair');
    assert.equal(health.vips, 2);
    assert.equal(health.withProblems, 2);
    assert.equal(health.worst, 'error');
    assert.equal(health.first?.cidr, '3.3.3.3');
    assert.match(health.first?.message ?? '', /not associated/i);
  });
});

