import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluatePolicies, intersect } from '../../../../src/core/iam/evaluate';
import { parsePolicy, type ParsedPolicy } from '../../../../src/core/iam/policyDocument';

const TABLE = 'arn:aws:ec2:eu-west-1:123456789012:route-table/rtb-0a1';
const REQUEST = { action: 'ec2:ReplaceRoute', resource: TABLE };

function policy(statements: unknown, name = 'inline p'): ParsedPolicy {
  return parsePolicy({ name, document: encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: statements })) });
}

const verdict = (...policies: ParsedPolicy[]) => evaluatePolicies(policies, REQUEST).verdict;

describe('evaluatePolicies (ec2:ReplaceRoute on a route table)', () => {
  it('allows through exact names, action wildcards in any case, and resource wildcards', () => {
    for (const [action, resource] of [
      ['ec2:ReplaceRoute', TABLE],
      ['EC2:replaceroute', TABLE],
      ['ec2:Replace*', 'arn:aws:ec2:eu-west-1:123456789012:route-table/*'],
      ['ec2:*Route', 'arn:aws:ec2:*:123456789012:route-table/rtb-0a?'],
      ['*', '*'],
      ['ec2:*', 'arn:aws:ec2:*'],
    ]) {
      assert.equal(verdict(policy({ Effect: 'Allow', Action: [action], Resource: resource })), 'allowed', `${action} ${resource}`);
    }
  });

  it('denies implicitly when no statement covers the table (a policy that misses one table)', () => {
    const other = policy({ Effect: 'Allow', Action: 'ec2:ReplaceRoute', Resource: ['arn:aws:ec2:eu-west-1:123456789012:route-table/rtb-0b2'] });
    const decision = evaluatePolicies([other], REQUEST);
    assert.equal(decision.verdict, 'denied');
    assert.match(decision.why, /no statement allows ec2:ReplaceRoute on .*rtb-0a1/);
    assert.equal(verdict(policy({ Effect: 'Allow', Action: 'ec2:CreateRoute', Resource: '*' })), 'denied');
    assert.equal(verdict(), 'denied');
  });

  it('keeps a ? or a mid-segment * within its segment; case matters in ARNs', () => {
    assert.equal(verdict(policy({ Effect: 'Allow', Action: 'ec2:ReplaceRoute', Resource: 'arn:aws:ec2:eu-west-?:123456789012:route-table/rtb-0a1' })), 'allowed');
    assert.equal(verdict(policy({ Effect: 'Allow', Action: 'ec2:ReplaceRoute', Resource: 'arn:aws:ec2:eu*1:123456789012:route-table/rtb-0a1' })), 'allowed');
    assert.equal(verdict(policy({ Effect: 'Allow', Action: 'ec2:ReplaceRoute', Resource: 'arn:aws:ec2:e*west-1:123456789012:route-table/RTB-0a1' })), 'denied');
    assert.equal(verdict(policy({ Effect: 'Allow', Action: 'ec2:ReplaceRoute', Resource: 'arn:aws:ec2:eu-west-1:1234*9012:route-table/rtb-0a1' })), 'allowed');
    assert.equal(verdict(policy({ Effect: 'Allow', Action: 'ec2:ReplaceRoute', Resource: 'arn:aws:e*2:eu-west-1:123456789012:route-table/rtb-0a1' })), 'allowed');
    assert.equal(verdict(policy({ Effect: 'Allow', Action: 'ec2:ReplaceRoute', Resource: 'arn:aws:e*:123456789012:route-table/rtb-0a1' })), 'allowed', 'a * ending a segment reaches beyond it');
    assert.equal(verdict(policy({ Effect: 'Allow', Action: 'ec2:ReplaceRoute', Resource: 'arn:aws:e*c2:123456789012:route-table/rtb-0a1' })), 'denied', 'a mid-segment * does not');
  });

  it('lets an explicit Deny win over any Allow, in another policy too', () => {
    const allow = policy({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }, 'arn:aws:iam::123456789012:policy/broad');
    const deny = policy({ Sid: 'NoRoutes', Effect: 'Deny', Action: 'ec2:ReplaceRoute', Resource: TABLE }, 'inline guard');
    const decision = evaluatePolicies([allow, deny], REQUEST);
    assert.deepEqual(decision, { verdict: 'denied', why: 'explicitly denied by inline guard (statement "NoRoutes")' });
  });

  it('reads NotAction and NotResource', () => {
    assert.equal(verdict(policy({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })), 'allowed');
    assert.equal(verdict(policy({ Effect: 'Allow', NotAction: ['ec2:Replace*'], Resource: '*' })), 'denied');
    assert.equal(verdict(policy({ Effect: 'Allow', Action: 'ec2:ReplaceRoute', NotResource: 'arn:aws:ec2:*:*:route-table/rtb-0b2' })), 'allowed');
    assert.equal(verdict(policy({ Effect: 'Allow', Action: 'ec2:ReplaceRoute', NotResource: TABLE })), 'denied');
    const exceptOne = policy([{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }, { Effect: 'Deny', Action: 'ec2:*', NotResource: TABLE }]);
    assert.equal(verdict(exceptOne), 'allowed');
  });

  it('says unknown, with why, for a Condition on the only Allow and for a Deny it cannot rule out', () => {
    const conditional = policy({ Effect: 'Allow', Action: 'ec2:ReplaceRoute', Resource: '*', Condition: { StringEquals: { 'ec2:ResourceTag/pair': 'web' } } });
    const decision = evaluatePolicies([conditional], REQUEST);
    assert.equal(decision.verdict, 'unknown');
    assert.match(decision.why, /inline p \(statement #1\) allows it only if its Condition holds/);
    const allow = policy({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' });
    const maybeDeny = policy({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:ViaAWSService': 'false' } } }, 'scp-like');
    assert.match(evaluatePolicies([allow, maybeDeny], REQUEST).why, /scp-like \(statement #1\) might deny it/);
    assert.equal(verdict(allow, maybeDeny), 'unknown');
    assert.equal(verdict(maybeDeny), 'denied', 'nothing allows it, whatever the condition says');
    assert.equal(verdict(policy({ Effect: 'Allow', Action: '*', Resource: '*', Condition: {} })), 'allowed', 'an empty Condition restricts nothing');
  });

  it('says unknown for NotPrincipal, policy variables and unreadable documents, never guessing', () => {
    assert.equal(verdict(policy({ Effect: 'Allow', Action: 'ec2:ReplaceRoute', Resource: 'arn:aws:ec2:*:*:route-table/${aws:PrincipalTag/table}' })), 'unknown');
    assert.equal(verdict(policy({ Effect: 'Deny', NotPrincipal: { AWS: 'x' }, Action: '*', Resource: '*' }), policy({ Effect: 'Allow', Action: '*', Resource: '*' })), 'unknown');
    const broken = parsePolicy({ name: 'inline broken', document: '{"Statement": [' });
    assert.deepEqual(evaluatePolicies([broken], REQUEST), { verdict: 'unknown', why: 'the document of inline broken is not JSON' });
    assert.equal(verdict(broken, policy({ Effect: 'Allow', Action: '*', Resource: '*' })), 'unknown', 'the unreadable one may deny');
    assert.equal(verdict(policy({ Effect: 'Allow', Action: 'ec2:ReplaceRoute' })), 'unknown', 'no Resource at all');
  });

  it('reads plain JSON documents, a single statement object, and a literal % in them', () => {
    const plain = parsePolicy({ name: 'p', document: JSON.stringify({ Statement: { Effect: 'Allow', Action: 'ec2:ReplaceRoute', Resource: '*', Sid: '100%' } }) });
    assert.equal(evaluatePolicies([plain], REQUEST).verdict, 'allowed');
  });

  it('intersects with a permissions boundary', () => {
    const allowed = { verdict: 'allowed', why: 'allowed by x' } as const;
    assert.equal(intersect(allowed, undefined), allowed);
    assert.equal(intersect(allowed, { verdict: 'denied', why: 'no statement allows it' }).verdict, 'denied');
    assert.equal(intersect(allowed, { verdict: 'unknown', why: 'c' }).verdict, 'unknown');
    assert.equal(intersect({ verdict: 'denied', why: 'd' }, { verdict: 'unknown', why: 'c' }).verdict, 'denied');
    assert.equal(intersect(allowed, allowed), allowed);
  });
});
