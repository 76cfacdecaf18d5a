import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { StackEvent } from '../../../src/core/provision/stackWatch';
import { changeSetDetail, progressShare } from '../../../src/plumbing/stackChanges';

const event = (logicalId: string, resourceType: string, status: string, reason?: string): StackEvent => ({
  eventId: `${logicalId}-${status}`,
  timestamp: new Date(0),
  logicalId,
  resourceType,
  status,
  reason,
});

describe('change set review texts', () => {
  it('lists the change set: counts per action, then each resource sorted by action and id', () => {
    const detail = changeSetDetail([
      { logicalId: 'NodeB', resourceType: 'AWS::EC2::Instance', action: 'add' },
      { logicalId: 'NodeA', resourceType: 'AWS::EC2::Instance', action: 'add' },
      { logicalId: 'VipRouteRtb1', resourceType: 'AWS::EC2::Route', action: 'replace', physicalId: 'rtb-1|192.168.55.1/32' },
      { logicalId: 'NodeRole', resourceType: 'AWS::IAM::Role', action: 'modify' },
      { logicalId: 'Sg', resourceType: 'AWS::EC2::SecurityGroup', action: 'maybe-replace' },
    ]);
    assert.equal(
      detail,
      [
        'Change set: 2 add, 1 replace, 1 modify, 1 may replace.',
        '',
        'add  NodeA  (AWS::EC2::Instance)',
        'add  NodeB  (AWS::EC2::Instance)',
        'may replace  Sg  (AWS::EC2::SecurityGroup)',
        'modify  NodeRole  (AWS::IAM::Role)',
        'replace  VipRouteRtb1  (AWS::EC2::Route) rtb-1|192.168.55.1/32',
      ].join('\n'),
    );
    assert.equal(changeSetDetail([]), 'Change set: no changes.\n');
  });

  it('moves the progress bar once per created resource, never for the stack itself', () => {
    assert.equal(progressShare(event('NodeA', 'AWS::EC2::Instance', 'CREATE_COMPLETE'), 4), 25);
    assert.equal(progressShare(event('NodeA', 'AWS::EC2::Instance', 'CREATE_IN_PROGRESS'), 4), 0);
    assert.equal(progressShare(event('awsops-pair-web', 'AWS::CloudFormation::Stack', 'CREATE_COMPLETE'), 4), 0);
    assert.equal(progressShare(event('AgentFunction', 'AWS::Lambda::Function', 'UPDATE_COMPLETE'), 2), 50);
  });

});
