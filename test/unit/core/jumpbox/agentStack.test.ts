import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MAX_TEMPLATE_BODY } from '../../../../src/core/provision/changeSet';
import { agentOutdated, AGENT_VERSION, buildAgentTemplate } from '../../../../src/core/jumpbox/agentStack';

// Tests run compiled from out/test/unit; the committed snapshot and the built agent live next to the sources.
const ROOT = join(__dirname, '..', '..', '..', '..', '..');
const SNAPSHOT = join(ROOT, 'test', 'unit', 'core', 'jumpbox', '__snapshots__', 'agentStack.json');

const template = buildAgentTemplate({ code: 'exports.handler = async () => ({});', jumpboxTagKey: 'awsops:jumpbox' });
const resources = JSON.parse(JSON.stringify(template.Resources));
const agentStatements = (): Array<Record<string, unknown>> => resources.AgentRole.Properties.Policies[0].PolicyDocument.Statement;
const statementFor = (action: string) => {
  const found = agentStatements().map((s) => (s['Fn::If'] ? (s['Fn::If'] as unknown[])[1] : s) as Record<string, unknown>).find((s) => [s.Action].flat().includes(action));
  assert.ok(found, `no statement allows ${action}`);
  return found;
};

describe('jumpbox agent CloudFormation template', () => {
  it('matches the committed snapshot (UPDATE_SNAPSHOTS=1 rewrites it)', () => {
    const json = `${JSON.stringify(template, null, 2)}\n`;
    if (process.env.UPDATE_SNAPSHOTS === '1') writeFileSync(SNAPSHOT, json);
    assert.ok(existsSync(SNAPSHOT), `no snapshot at ${SNAPSHOT}: run once with UPDATE_SNAPSHOTS=1 and review it`);
    assert.equal(json, readFileSync(SNAPSHOT, 'utf8'));
  });

  it('lets the function start, stop and tag only jumpboxes, and only with its own tag keys', () => {
    const instances = { 'Fn::Sub': 'arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:instance/*' };
    assert.deepEqual(statementFor('ec2:StartInstances'), { Effect: 'Allow', Action: ['ec2:StartInstances', 'ec2:StopInstances'], Resource: instances, Condition: { Null: { 'aws:ResourceTag/awsops:jumpbox': 'false' } } });
    assert.deepEqual(statementFor('ec2:CreateTags').Condition, {
      Null: { 'aws:ResourceTag/awsops:jumpbox': 'false', 'aws:TagKeys': 'false' },
      'ForAllValues:StringEquals': { 'aws:TagKeys': ['awsops:last-action', 'awsops:last-error'] },
    });
    assert.deepEqual((statementFor('ec2:DeleteTags').Condition as Record<string, unknown>)['ForAllValues:StringEquals'], { 'aws:TagKeys': ['awsops:override'] });
    assert.deepEqual(statementFor('kms:CreateGrant').Condition, { Bool: { 'kms:GrantIsForAWSResource': 'true' } });
  });

  it('changes Route53 records only in the zones of the parameter, only A and TXT, and drops the statements without zones', () => {
    const change = agentStatements().find((s) => JSON.stringify(s).includes('route53:ChangeResourceRecordSets'));
    assert.deepEqual((change?.['Fn::If'] as unknown[])[0], 'HasZones');
    assert.deepEqual((change?.['Fn::If'] as unknown[])[2], { Ref: 'AWS::NoValue' });
    const statement = statementFor('route53:ChangeResourceRecordSets');
    assert.match(JSON.stringify(statement.Resource), /hostedzone\/\$\{Zones\}.*"Ref":"HostedZoneIds"/);
    assert.deepEqual(statement.Condition, { 'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'TXT'] } });
    assert.equal(agentStatements().some((s) => JSON.stringify(s).includes('"Resource":"*"') && JSON.stringify(s).includes('ChangeResourceRecordSets')), false);
  });

  it("trusts Scheduler only for this account's AWS Ops schedules, and lets it only invoke the agent", () => {
    const role = resources.SchedulerRole.Properties;
    assert.deepEqual(role.AssumeRolePolicyDocument.Statement[0].Condition, {
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: { 'aws:SourceArn': { 'Fn::Sub': 'arn:${AWS::Partition}:scheduler:${AWS::Region}:${AWS::AccountId}:schedule/default/awsops-i-*' } },
    });
    assert.deepEqual(role.Policies[0].PolicyDocument.Statement, [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': ['AgentFunction', 'Arn'] } }]);
  });

  it('runs the code inline on Node.js 22, triggered by EC2 running/stopped events', () => {
    assert.equal(resources.AgentFunction.Properties.Runtime, 'nodejs22.x');
    assert.equal(resources.AgentFunction.Properties.Code.ZipFile, 'exports.handler = async () => ({});');
    assert.deepEqual(resources.StateChangeRule.Properties.EventPattern, { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['running', 'stopped'] } });
    assert.deepEqual(resources.StateChangePermission.Properties.SourceArn, { 'Fn::GetAtt': ['StateChangeRule', 'Arn'] });
  });

  it('fits CloudFormation’s inline template limit with the built agent (dist/agent.js)', () => {
    const built = join(ROOT, 'dist', 'agent.js');
    assert.ok(existsSync(built), 'dist/agent.js is missing: run node scripts/build.mjs');
    const bytes = Buffer.byteLength(JSON.stringify(buildAgentTemplate({ code: readFileSync(built, 'utf8'), jumpboxTagKey: 'awsops:jumpbox' })));
    assert.ok(bytes < MAX_TEMPLATE_BODY, `${bytes} bytes`);
  });

  it('offers an update only for an installed agent older than the one the extension carries', () => {
    assert.equal(agentOutdated({ installed: true, version: AGENT_VERSION - 1 }), true);
    assert.equal(agentOutdated({ installed: true, version: AGENT_VERSION }), false);
    assert.equal(agentOutdated({ installed: false, version: 0 }), false);
  });
});
