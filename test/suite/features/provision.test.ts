import assert from 'node:assert/strict';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeRouteTablesCommand } from '@aws-sdk/client-ec2';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import * as vscode from 'vscode';
import type { AwsSession } from '../../../src/core/session/session';
import { BACK } from '../../../src/plumbing/wizardIO';
import type { TreeNode } from '../../../src/plumbing/treeNode';
import { createRouteTable, createSubnet, createVpc, giveNatWay } from '../../support/ec2Seed';
import { FakeHost, type Answer } from '../fakeHost';
import { startWorld, type World } from '../world';

const VIP = '192.168.55.100';
const PAIR = 'web-e2e';
const STACK = `awsops-pair-${PAIR}`;
const REVIEW = '$(cloud-upload) Review the change set…';

describe('Provision and tear down an HAProxy pair (real extension host, moto)', () => {
  let world: World;
  let session: AwsSession;
  let vpcId: string;
  let subnetA: string;
  let subnetA2: string;
  let subnetB: string;
  let tables: string[];
  let imageId: string;

  const useHost = (answers: Answer[]) => {
    const host = new FakeHost(answers);
    world.api.setHost(host);
    return host;
  };
  const stackStatus = async (name: string) => {
    try {
      return (await session.client('cloudformation').send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0]?.StackStatus;
    } catch (error) {
      if (/does not exist/.test(String(error))) return undefined;
      throw error;
    }
  };
  const vipTargets = async () => {
    const result = await session.client('ec2').send(new DescribeRouteTablesCommand({ RouteTableIds: tables }));
    return (result.RouteTables ?? []).map((t) => t.Routes?.find((r) => r.DestinationCidrBlock === `${VIP}/32`)?.NetworkInterfaceId ?? 'none');
  };
  /** The wizard's answers up to the VIP step: name, VPC, node A's subnet, node B's subnet, who reaches the pair. */
  const upToVip = (name: string) => [name, vpcId, subnetA, subnetB, 'Internal (route VIP)'];

  before(async () => {
    world = await startWorld();
    session = world.pool.get({ region: world.region, endpointUrl: world.moto.url });
    const ec2 = session.client('ec2');
    vpcId = await createVpc(ec2, '10.40.0.0/16');
    const subnet = (cidr: string, az: string) => createSubnet(ec2, vpcId, cidr, `${world.region}${az}`);
    subnetA = await subnet('10.40.1.0/24', 'a');
    subnetB = await subnet('10.40.2.0/24', 'b');
    subnetA2 = await subnet('10.40.3.0/24', 'a');
    await giveNatWay(ec2, vpcId, subnetA2);
    for (let i = 0; i < 2; i++) await createRouteTable(ec2, vpcId);
    const all = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
    tables = (all.RouteTables ?? []).map((t) => t.RouteTableId as string).sort();
    assert.equal(tables.length, 3, 'the main table and two more');
    // moto serves AWS's public AMI parameters, so the wizard's default is a real moto image.
    const parameter = await session.client('ssm').send(new GetParameterCommand({ Name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' }));
    imageId = parameter.Parameter?.Value as string;
  });
  after(async () => {
    await world?.dispose();
  });

  it('refuses bad input at its step and leaves no stack: a VIP inside the VPC CIDR, then a declined change set', async () => {
    const host = useHost([
      ...upToVip('bad'),
      '10.40.7.7',
      undefined, // cancel at the VIP step
    ]);
    await vscode.commands.executeCommand('awsops.provisionPair');
    assert.deepEqual(host.unexpected, []);
    assert.equal(host.refused.length, 1);
    assert.match(host.refused[0], /10\.40\.7\.7 is inside the VPC CIDR 10\.40\.0\.0\/16: a VPC never routes its own addresses to an instance/);
    const nodeB = host.shown.find((s) => s.kind === 'quickPick' && s.text.includes("Node B's subnet"));
    assert.deepEqual(nodeB?.options, [subnetB], `node B is offered no subnet in node A's AZ (${subnetA2} is there)`);
    assert.equal(await stackStatus('awsops-pair-bad'), undefined);

    const declined = useHost([...upToVip('declined'), VIP, tables, 't3.small', imageId, 'No key pair', '', '10.0.0.0/8', 'No flap back', REVIEW, undefined]);
    await vscode.commands.executeCommand('awsops.provisionPair');
    assert.deepEqual(declined.unexpected, []);
    assert.deepEqual(declined.messages(), ['Nothing was created: the change set of awsops-pair-declined is discarded.']);
    assert.equal(await stackStatus('awsops-pair-declined'), undefined, 'the REVIEW_IN_PROGRESS stack is gone too');
  });

  it('subnets with no way to the AWS APIs: says what is missing; declined, nothing is made; accepted, the change set adds the endpoints', async () => {
    const ec2 = session.client('ec2');
    const closed = await createVpc(ec2, '10.41.0.0/16');
    const subnets = [await createSubnet(ec2, closed, '10.41.1.0/24', `${world.region}a`), await createSubnet(ec2, closed, '10.41.2.0/24', `${world.region}b`)];
    const main = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [closed] }] }))).RouteTables?.[0]?.RouteTableId as string;
    const answers = (name: string, offer: Answer): Answer[] => [name, closed, ...subnets, 'Internal (route VIP)', VIP, [main], 't3.small', imageId, 'No key pair', '', '10.0.0.0/8', 'No flap back', REVIEW, offer];
    const declined = useHost(answers('closed-no', undefined));
    await vscode.commands.executeCommand('awsops.provisionPair');
    assert.deepEqual(declined.unexpected, []);
    const offer = declined.shown.find((shown) => shown.kind === 'confirm');
    assert.equal(offer?.text, 'The nodes of pair closed-no could not reach the AWS APIs.');
    assert.match(offer?.detail ?? '', new RegExp(`^Subnet ${subnets[0]} cannot reach the EC2 API: it has no default route \\(no NAT gateway\\)`));
    assert.deepEqual(offer?.options, ['Add the endpoints to the stack']);
    assert.deepEqual(declined.messages(), ["Nothing was created: pair closed-no's nodes would have no way to the AWS APIs."]);
    assert.equal(await stackStatus('awsops-pair-closed-no'), undefined);

    const accepted = useHost([...answers('closed-yes', 'Add the endpoints to the stack'), undefined]);
    await vscode.commands.executeCommand('awsops.provisionPair');
    assert.deepEqual(accepted.unexpected, []);
    const review = accepted.shown.filter((shown) => shown.kind === 'confirm')[1];
    for (const id of ['ApiEndpointEc2', 'ApiEndpointCloudformation', 'ApiEndpointSsm', 'ApiEndpointSecurityGroup']) assert.ok(review?.detail?.includes(`add  ${id}  `), `${id} in ${review?.detail}`);
    assert.equal(await stackStatus('awsops-pair-closed-yes'), undefined, 'declined at review: nothing left');
  });

  it('walks the wizard (with Back), shows the change set, saves the template, creates the pair and reports its nodes', async () => {
    const host = useHost([
      ...upToVip(PAIR),
      BACK, // from the VIP step back to who reaches the pair
      'Internal (route VIP)',
      VIP,
      tables,
      't3.small',
      imageId,
      'No key pair',
      '443 -> 10.40.9.10:8443',
      '10.0.0.0/8',
      'No flap back',
      REVIEW,
      'Save template as…',
      'Create pair',
    ]);
    const started = performance.now();
    await vscode.commands.executeCommand('awsops.provisionPair');
    console.log(`      provisionPair (plan, review, execute, refresh) took ${(performance.now() - started).toFixed(0)} ms on moto`);
    assert.deepEqual(host.unexpected, []);
    assert.deepEqual(host.refused, []);

    const confirm = host.shown.filter((s) => s.kind === 'confirm');
    assert.equal(confirm.length, 2, 'the review comes back after saving the template');
    assert.equal(confirm[0].text, `Create HA pair ${PAIR} (stack ${STACK}) in ${world.region}?`);
    assert.match(confirm[0].detail ?? '', /^profile moto · account 123456789012 · region eu-west-1\n\nRegion eu-west-1, vpc-\w+: node A in subnet-\w+ \(eu-west-1a\), node B in subnet-\w+ \(eu-west-1b\)\./);
    assert.match(confirm[0].detail ?? '', /Change set: 1\d add\.\n\nadd {2}NodeA {2}\(AWS::EC2::Instance\)\nadd {2}NodeAEni {2}\(AWS::EC2::NetworkInterface\)/);
    assert.deepEqual(confirm[0].options, ['Create pair', 'Save template as…']);

    assert.equal(host.saved.length, 1);
    assert.equal(host.saved[0].name, `${STACK}.yaml`);
    assert.match(host.saved[0].content, /^AWSTemplateFormatVersion: "2010-09-09"\n/);
    assert.ok(host.saved[0].content.includes(`DestinationCidrBlock: ${VIP}/32\n`), 'the saved template routes the VIP');

    assert.equal(await stackStatus(STACK), 'CREATE_COMPLETE');
    const [message, ...more] = host.messages();
    assert.match(message, /^Saved the template of pair web-e2e to awsops-pair-web-e2e\.yaml\. Deploy it with: aws cloudformation deploy/);
    assert.equal(more.length, 1, JSON.stringify(more));
    const nodeA = /node A (i-\w+) \((eni-\w+)\), node B (i-\w+) \((eni-\w+)\)/.exec(more[0]);
    assert.ok(nodeA, more[0]);
    assert.deepEqual(await vipTargets(), tables.map(() => nodeA[2]), 'every route table sends the VIP to node A');
    assert.ok(host.progress.includes(`AWS Ops: Creating pair ${PAIR}`));
    // moto records only the stack's own events (real CloudFormation adds one per resource).
    assert.ok(host.progress.includes(`${STACK} CREATE_COMPLETE`), `stack events reach the progress: ${host.progress.join(' | ')}`);
  });

  it('refuses the name of an existing pair at the first step', async () => {
    const host = useHost([PAIR, undefined]);
    await vscode.commands.executeCommand('awsops.provisionPair');
    const retry = host.shown.filter((s) => s.kind === 'inputBox')[1];
    assert.match(retry?.detail ?? '', /A stack named awsops-pair-web-e2e already exists in eu-west-1 \(CREATE_COMPLETE\): pick another name, or tear that pair down first\./);
  });

  it('tears down only after the exact name is typed, then removes the stack and the VIP routes it left', async () => {
    const mistyped = useHost([PAIR, 'web-e2']);
    await vscode.commands.executeCommand('awsops.teardownPair');
    assert.deepEqual(mistyped.unexpected, []);
    assert.deepEqual(mistyped.shown.find((s) => s.kind === 'quickPick')?.options, [PAIR], 'only awsops-pair-* stacks are offered');
    assert.deepEqual(mistyped.messages(), ['"web-e2" is not "web-e2e": nothing was deleted.']);
    assert.equal(await stackStatus(STACK), 'CREATE_COMPLETE');

    // From a Pairs view row: no pick, straight to the typed confirmation.
    const row: TreeNode = { id: `pair:${world.region}/${PAIR}`, label: PAIR, contextValue: 'pair', data: { pairName: PAIR, region: world.region } };
    const host = useHost([PAIR]);
    await vscode.commands.executeCommand('awsops.teardownPair', row);
    assert.deepEqual(host.unexpected, []);
    const typed = host.shown.find((s) => s.kind === 'inputBox');
    assert.match(typed?.detail ?? '', new RegExp(`^profile moto · account 123456789012 · region eu-west-1: deletes stack ${STACK} \\(CREATE_COMPLETE\\)`));
    assert.equal(await stackStatus(STACK), undefined);
    // moto leaves AWS::EC2::Route behind on DeleteStack, so teardown's own cleanup is what removes them here.
    assert.deepEqual(await vipTargets(), tables.map(() => 'none'));
    const [message] = host.messages();
    assert.match(message, new RegExp(`^Stack ${STACK} is deleted in eu-west-1\\. Removed 3 VIP routes left behind: ${VIP.replace(/\./g, '\\.')}/32 in rtb-`));
  });
});
