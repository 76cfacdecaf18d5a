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
});
