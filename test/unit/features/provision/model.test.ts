import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DeployResult } from '../../../../src/core/provision/deploy';
import type { PairSpec, VpcFacts } from '../../../../src/core/provision/inputs';
import type { TeardownReport } from '../../../../src/core/provision/teardown';
import {
  deployMessage,
  formatListeners,
  pairOfNode,
  parseListeners,
  specSummary,
  teardownMessages,
} from '../../../../src/features/provision/model';

describe('provision UI texts', () => {
  it('reads several listeners from one line, numbering the one at fault', () => {
    const parsed = parseListeners(' 80/http -> 10.0.1.10:8080, 10.0.1.11:8080 ; 443 -> app.internal:443;', '192.168.55.1');
    assert.ok('listeners' in parsed);
    assert.equal(formatListeners(parsed.listeners), '80/http -> 10.0.1.10:8080, 10.0.1.11:8080; 443/tcp -> app.internal:443');
    assert.deepEqual(parseListeners('', '192.168.55.1'), { listeners: [] });
    assert.deepEqual(parseListeners('80 -> a:1; 81 -> b', '192.168.55.1'), { problem: 'Listener 2: Backend "b" has no port: write HOST:PORT.' });
    assert.deepEqual(parseListeners('80 -> a:1; 80 -> b:2', '192.168.55.1'), { problem: 'Port 80 has two listeners: merge their servers into one.' });
    assert.deepEqual(parseListeners('80', '192.168.55.1'), { problem: 'Write a listener as "PORT[/tcp|/http] -> HOST:PORT, HOST:PORT", e.g. "80/http -> 10.0.1.10:8080".' });
  });

  it('summarises the spec with the AZs, VIP, preempt choice and the minimal default listener', () => {
    const facts: VpcFacts = {
      vpcId: 'vpc-1',
      cidrs: ['10.0.0.0/16'],
      subnets: { 'subnet-a': { availabilityZone: 'eu-west-1a', vpcId: 'vpc-1' }, 'subnet-b': { availabilityZone: 'eu-west-1b', vpcId: 'vpc-1' } },
      routeTables: [],
    };
    const spec: PairSpec = {
      name: 'web',
      vpcId: 'vpc-1',
      subnetIds: ['subnet-a', 'subnet-b'],
      vip: '192.168.55.1',
      routeTableIds: ['rtb-1'],
      instanceType: 't3.small',
      imageId: 'ami-0123456789abcdef0',
      listeners: [],
      clientCidr: '10.0.0.0/8',
      preempt: false,
    };
    assert.deepEqual(specSummary(spec, 'eu-west-1', facts), [
      'Region eu-west-1, vpc-1: node A in subnet-a (eu-west-1a), node B in subnet-b (eu-west-1b).',
      'VIP 192.168.55.1/32 in 1 route table, pointing at node A first; no flapping back after a failover.',
      't3.small from ami-0123456789abcdef0; no key pair (SSM Session Manager only).',
      'haproxy: port 80 answers by itself (minimal default); clients from 10.0.0.0/8.',
    ]);
    const withKey = specSummary({ ...spec, keyName: 'ops', sshCidr: '10.0.0.0/16', preempt: true }, 'eu-west-1', facts);
    assert.match(withKey[1], /node A takes it back when it recovers \(preempt\)/);
    assert.equal(withKey[2], 't3.small from ami-0123456789abcdef0; key pair ops, SSH from 10.0.0.0/16.');
    const publicVip = specSummary({ ...spec, vip: '52.95.110.1', confirmedPublicVip: '52.95.110.1' }, 'eu-west-1', facts);
    assert.match(publicVip[1], /^VIP 52\.95\.110\.1\/32 \(a public address, confirmed by typing it\) in 1 route table/);
  });

  it('reports a created pair with its node ids', () => {
    const ok: DeployResult = { ok: true, stackId: 's', status: 'CREATE_COMPLETE', events: [], nodes: { a: { instanceId: 'i-a', eniId: 'eni-a' }, b: { instanceId: 'i-b', eniId: 'eni-b' } } };
    const message = deployMessage('web', 'eu-west-1', ok);
    assert.equal(message.severity, 'info');
    assert.match(message.text, /^Pair web is up in eu-west-1: node A i-a \(eni-a\), node B i-b \(eni-b\)\. The VIP routes point at node A/);
  });

  it('reports a failed create with the failing event and what became of the stack', () => {
    const failure = { logicalId: 'NodeA', resourceType: 'AWS::EC2::Instance', status: 'CREATE_FAILED', reason: 'You are not authorized to perform: ec2:RunInstances' };
    const failed = (status: string, stackDeleted: boolean): DeployResult => ({ ok: false, stackId: 's', status, failure, stackDeleted, events: [] });
    const deleted = deployMessage('web', 'eu-west-1', failed('ROLLBACK_COMPLETE', true));
    assert.equal(deleted.severity, 'error');
    assert.equal(
      deleted.text,
      'Pair web was not created: NodeA (AWS::EC2::Instance) CREATE_FAILED: You are not authorized to perform: ec2:RunInstances. CloudFormation rolled the stack back (ROLLBACK_COMPLETE) and it was deleted: nothing is left, and the name is free again.',
    );
    assert.match(deployMessage('web', 'r', failed('ROLLBACK_COMPLETE', false)).text, /holds no resources, but blocks the name until you tear the pair down/);
    assert.match(deployMessage('web', 'r', failed('ROLLBACK_FAILED', false)).text, /The stack is ROLLBACK_FAILED: some resources may remain/);
    assert.match(deployMessage('web', 'r', { ...failed('ROLLBACK_FAILED', false), failure: undefined } as DeployResult).text, /the stack ended ROLLBACK_FAILED without a failure event/);
  });

  it('reports a teardown per route removed or left', () => {
    const base: TeardownReport = { stackName: 'awsops-pair-web', outcome: 'deleted', finalStatus: 'DELETE_COMPLETE', routes: [], events: [] };
    assert.deepEqual(teardownMessages(base, 'eu-west-1'), [{ severity: 'info', text: 'Stack awsops-pair-web is deleted in eu-west-1.' }]);
    const routes: TeardownReport['routes'] = [
      { routeTableId: 'rtb-1', destination: '192.168.55.1/32', target: 'eni-a', outcome: 'removed' },
      { routeTableId: 'rtb-2', destination: '192.168.55.1/32', target: 'eni-a', outcome: 'removed' },
      { routeTableId: 'rtb-3', destination: '192.168.55.1/32', target: 'eni-a', outcome: 'failed', error: 'UnauthorizedOperation: not allowed' },
    ];
    assert.deepEqual(teardownMessages({ ...base, routes }, 'eu-west-1'), [
      { severity: 'info', text: 'Stack awsops-pair-web is deleted in eu-west-1. Removed 2 VIP routes left behind: 192.168.55.1/32 in rtb-1 (→ eni-a), 192.168.55.1/32 in rtb-2 (→ eni-a).' },
      { severity: 'warn', text: 'The route 192.168.55.1/32 in rtb-3 (→ eni-a) still exists: UnauthorizedOperation: not allowed. Delete it in the VPC console.' },
    ]);
    assert.deepEqual(teardownMessages({ ...base, outcome: 'not-found' }, 'eu-west-1'), [{ severity: 'info', text: 'There is no stack awsops-pair-web in eu-west-1: nothing to tear down.' }]);
    const failed = teardownMessages({ ...base, outcome: 'failed', finalStatus: 'DELETE_FAILED', failure: { logicalId: 'NodeRole', resourceType: 'AWS::IAM::Role', status: 'DELETE_FAILED', reason: 'AccessDenied' } }, 'r');
    assert.deepEqual(failed.map((m) => m.severity), ['error']);
    assert.match(failed[0].text, /^Stack awsops-pair-web was not deleted \(DELETE_FAILED\): NodeRole \(AWS::IAM::Role\): AccessDenied\./);
    assert.deepEqual(teardownMessages({ ...base, outcome: 'cancelled', deleteRequested: false }, 'r'), [{ severity: 'info', text: 'Cancelled before DeleteStack: awsops-pair-web in r is unchanged.' }]);
    const goesOn = teardownMessages({ ...base, outcome: 'cancelled', deleteRequested: true }, 'r');
    assert.deepEqual(goesOn.map((m) => m.severity), ['warn']);
    assert.match(goesOn[0].text, /^Cancelled after DeleteStack: CloudFormation goes on deleting awsops-pair-web in r \(a delete cannot be undone\)/);
  });

  it('finds the pair of a Pairs view row in its data', () => {
    assert.deepEqual(pairOfNode({ id: 'p', label: 'web', data: { pairName: 'web', region: 'eu-west-1' } }), { pairName: 'web', region: 'eu-west-1' });
    assert.deepEqual(pairOfNode({ id: 'p', label: 'web', data: { pairName: 'web' } }), { pairName: 'web', region: undefined });
    assert.equal(pairOfNode({ id: 'p', label: 'web', data: { name: 'web' } }), undefined);
    assert.equal(pairOfNode(undefined), undefined);
  });
});
