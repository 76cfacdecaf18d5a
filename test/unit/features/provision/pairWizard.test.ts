import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { VpcFacts } from '../../../../src/core/provision/inputs';
import { runPairWizard, type AmiOffer, type ProvisionSource } from '../../../../src/features/provision/pairWizard';
import { runWizard, type StepFrame, type WizardStep } from '../../../../src/plumbing/wizard';
import { BACK, type Back, type InputStepOptions, type PickStepOptions, type StepItems, type WizardIO } from '../../../../src/plumbing/wizardIO';

/** Accept what the step offers: the preselected items, or the prefilled text. */
const KEEP = Symbol('keep');
type Answer = string | string[] | Back | typeof KEEP | undefined;

interface Prompt {
  kind: 'pick' | 'input';
  text: string;
  labels: string[];
  picked: string[];
  value?: string;
  problem?: string;
  step: number;
  totalSteps: number;
}

/** Answers step prompts from a script, as a person would: a refused typed value is retyped with the next answer. */
class ScriptedIO implements WizardIO {
  readonly prompts: Prompt[] = [];
  readonly refused: string[] = [];
  constructor(private readonly answers: Answer[]) {}

  pickStep = (async (items: StepItems<vscode.QuickPickItem>, options: PickStepOptions<vscode.QuickPickItem>) => {
    const loaded = await items;
    const preselected = loaded.filter((item) => item.picked);
    const prompt = { kind: 'pick' as const, text: options.placeholder ?? '', labels: loaded.map((i) => i.label), picked: preselected.map((i) => i.label), step: options.step, totalSteps: options.totalSteps };
    const read = (answer: string | string[] | typeof KEEP) => {
      const chosen = answer === KEEP ? preselected : loaded.filter((item) => (Array.isArray(answer) ? answer : [answer]).includes(item.label));
      assert.ok(chosen.length > 0, `no item ${String(answer)} among ${prompt.labels.join(', ')}`);
      return chosen;
    };
    const picked = await this.step(prompt, read, async (chosen) => options.check?.(chosen));
    return picked === undefined || picked === BACK || options.canPickMany ? picked : picked[0];
  }) as WizardIO['pickStep'];

  inputStep(options: InputStepOptions): Promise<string | Back | undefined> {
    const prompt = { kind: 'input' as const, text: options.prompt ?? '', labels: [], picked: [], value: options.value, step: options.step, totalSteps: options.totalSteps };
    const read = (answer: string | string[] | typeof KEEP) => (answer === KEEP ? (options.value ?? '') : String(answer));
    return this.step(prompt, read, async (text) => options.validate?.(text) ?? (await options.check?.(text)));
  }

  /** A refused answer keeps the step open with the reason, and the next answer is tried. */
  private async step<A>(prompt: Omit<Prompt, 'problem'>, read: (answer: string | string[] | typeof KEEP) => A, refusal: (answer: A) => Promise<string | undefined>): Promise<A | Back | undefined> {
    for (let problem: string | undefined; ; ) {
      const answer = this.next({ ...prompt, problem });
      if (answer === undefined || answer === BACK) return answer;
      const value = read(answer);
      problem = await refusal(value);
      if (problem === undefined) return value;
      this.refused.push(problem);
    }
  }

  private next(prompt: Prompt): Answer {
    this.prompts.push(prompt);
    assert.ok(this.answers.length > 0, `no answer left for ${prompt.kind} "${prompt.text}"`);
    return this.answers.shift();
  }
}

const FACTS: VpcFacts = {
  vpcId: 'vpc-1',
  cidrs: ['10.40.0.0/16'],
  subnets: {
    'subnet-a': { availabilityZone: 'eu-west-1a', vpcId: 'vpc-1', cidr: '10.40.1.0/24' },
    'subnet-a2': { availabilityZone: 'eu-west-1a', vpcId: 'vpc-1', cidr: '10.40.3.0/24' },
    'subnet-b': { availabilityZone: 'eu-west-1b', vpcId: 'vpc-1', cidr: '10.40.2.0/24' },
    'subnet-c': { availabilityZone: 'eu-west-1c', vpcId: 'vpc-1', cidr: '10.40.4.0/24' },
  },
  routeTables: [
    { routeTableId: 'rtb-main', isMain: true, routes: [{ destination: '10.40.0.0/16', target: 'local' }] },
    { routeTableId: 'rtb-2', isMain: false, routes: [{ destination: '10.40.0.0/16', target: 'local' }, { destination: '192.168.9.9/32', target: 'eni-other' }] },
  ],
};
const ONE_AZ: VpcFacts = { vpcId: 'vpc-1az', cidrs: ['10.9.0.0/16'], subnets: { 'subnet-x': { availabilityZone: 'eu-west-1a', vpcId: 'vpc-1az' } }, routeTables: [] };

function source(overrides: Partial<ProvisionSource> = {}): ProvisionSource & { amiAsks: string[] } {
  const amiAsks: string[] = [];
  return {
    amiAsks,
    regions: ['eu-west-1'],
    stackStatus: async (_region, stackName) => (stackName === 'awsops-pair-taken' ? 'CREATE_COMPLETE' : undefined),
    vpcs: async () => [
      { vpcId: 'vpc-1', name: 'prod', cidrs: ['10.40.0.0/16'], isDefault: false },
      { vpcId: 'vpc-1az', cidrs: ['10.9.0.0/16'], isDefault: true },
    ],
    vpcFacts: async (_region, vpcId) => (vpcId === 'vpc-1' ? FACTS : ONE_AZ),
    keyPairs: async () => ['ops-key'],
    freeElasticIps: async () => [{ allocationId: 'eipalloc-0123456789abcdef0', publicIp: '3.3.3.3', name: 'edge' }],
    amis: async (_region, instanceType): Promise<AmiOffer> => {
      amiAsks.push(instanceType);
      const architecture = instanceType.startsWith('t4g') ? 'arm64' : 'x86_64';
      return { architecture, latest: architecture === 'arm64' ? 'ami-0aaaaaaaaaaaaaaa1' : 'ami-0bbbbbbbbbbbbbbb2', images: [] };
    },
    ...overrides,
  };
}

describe('the provision wizard', () => {
  it('collects a pair, proposing every route table, the latest AL2023 AMI, the VPC CIDR for clients and no flap back', async () => {
    const io = new ScriptedIO(['web-eu1', 'vpc-1', 'subnet-a', 'subnet-b', KEEP, '192.168.55.100', KEEP, KEEP, KEEP, 'No key pair', '443 -> 10.40.9.10:8443', KEEP, KEEP, KEEP]);
    const result = await runPairWizard(io, source());
    assert.deepEqual(result?.spec, {
      name: 'web-eu1',
      vpcId: 'vpc-1',
      subnetIds: ['subnet-a', 'subnet-b'],
      vip: '192.168.55.100',
      routeTableIds: ['rtb-main', 'rtb-2'],
      instanceType: 't3.small',
      imageId: 'ami-0bbbbbbbbbbbbbbb2',
      listeners: [{ port: 443, mode: 'tcp', servers: [{ host: '10.40.9.10', port: 8443 }] }],
      clientCidr: '10.40.0.0/16',
      preempt: false,
    });
    assert.equal(result?.finish, 'create');
    assert.equal(result?.region, 'eu-west-1');
    assert.deepEqual(io.refused, []);
    // One region: no region step; 13 steps, numbered in order.
    assert.deepEqual(io.prompts.map((p) => `${p.step}/${p.totalSteps}`), Array.from({ length: 14 }, (_, i) => `${i + 1}/14`));
  });

  it('says why at the step: an existing stack name, a VPC in one AZ, a VIP inside the VPC CIDR or already routed', async () => {
    const io = new ScriptedIO(['taken', 'web', 'vpc-1az', 'vpc-1', 'subnet-a', 'subnet-b', KEEP, '10.40.7.7', '192.168.9.9', '192.168.55.1', undefined]);
    assert.equal(await runPairWizard(io, source()), undefined, 'cancelled at the route tables');
    // Each refusal keeps its step open with the reason, for the next answer.
    assert.deepEqual(io.prompts.slice(0, 4).map((p) => [p.kind, p.step]), [['input', 1], ['input', 1], ['pick', 2], ['pick', 2]]);
    assert.equal(io.prompts[1].problem, io.refused[0]);
    assert.equal(io.prompts[3].problem, io.refused[1]);
    assert.equal(io.refused.length, 4);
    assert.match(io.refused[0], /^A stack named awsops-pair-taken already exists in eu-west-1 \(CREATE_COMPLETE\): pick another name/);
    assert.match(io.refused[1], /^vpc-1az has subnets in only one Availability Zone \(eu-west-1a\): the two nodes need subnets in two different AZs/);
    assert.match(io.refused[2], /10\.40\.7\.7 is inside the VPC CIDR 10\.40\.0\.0\/16/);
    assert.match(io.refused[3], /192\.168\.9\.9 is already in use: route table rtb-2 sends 192\.168\.9\.9\/32 to eni-other/);
  });

  it('offers node B only subnets outside node A\'s AZ, and Back revisits earlier steps keeping their answers', async () => {
    const io = new ScriptedIO(['web', 'vpc-1', 'subnet-a', 'subnet-b', BACK, BACK, 'subnet-b', 'subnet-c', KEEP, '192.168.55.1', ['rtb-2'], KEEP, KEEP, KEEP, '', KEEP, 'Preempt', KEEP]);
    const result = await runPairWizard(io, source());
    const subnetSteps = io.prompts.filter((p) => p.text.includes('subnet'));
    assert.deepEqual(subnetSteps[0].labels, ['subnet-a', 'subnet-a2', 'subnet-b', 'subnet-c']);
    assert.deepEqual(subnetSteps[1].labels, ['subnet-b', 'subnet-c'], 'no subnet of eu-west-1a for node B');
    assert.deepEqual(subnetSteps[2].picked, ['subnet-b'], 'Back shows the earlier answer preselected');
    assert.deepEqual(subnetSteps[3].picked, ['subnet-a']);
    assert.deepEqual(subnetSteps[4].labels, ['subnet-a', 'subnet-a2', 'subnet-c'], 'node B now avoids eu-west-1b');
    assert.deepEqual(result?.spec.subnetIds, ['subnet-b', 'subnet-c']);
    assert.deepEqual(result?.spec.routeTableIds, ['rtb-2']);
    assert.deepEqual(result?.spec.listeners, [], 'empty listeners: the minimal default');
    assert.equal(result?.spec.preempt, true);
  });

  it('takes a typed instance type, asks for an AMI of its architecture, and an SSH CIDR with a key pair; or saves the template', async () => {
    const io = new ScriptedIO([
      'web', 'vpc-1', 'subnet-a', 'subnet-b', KEEP, '192.168.55.1', KEEP,
      '$(edit) Other instance type…', 'm7g', BACK, 't4g.small',
      KEEP, 'ops-key', '10.0.0.1/8', '10.0.0.0/8', '', KEEP, KEEP, '$(save) Save template as…',
    ]);
    const src = source();
    const result = await runPairWizard(io, src);
    assert.deepEqual(src.amiAsks, ['t4g.small']);
    assert.equal(result?.spec.instanceType, 't4g.small');
    assert.equal(result?.spec.imageId, 'ami-0aaaaaaaaaaaaaaa1');
    assert.equal(result?.spec.keyName, 'ops-key');
    assert.equal(result?.spec.sshCidr, '10.0.0.0/8');
    assert.equal(result?.finish, 'save');
    assert.match(io.refused[0], /"m7g" is not an instance type/);
    assert.match(io.refused[1], /SSH CIDR 10\.0\.0\.1\/8 has host bits set: did you mean 10\.0\.0\.0\/8/);
  });

  it('offers Amazon\'s AL2023 list when the SSM parameter cannot be read, and checks a listener against the VIP', async () => {
    const amis = async (): Promise<AmiOffer> => ({ architecture: 'x86_64', problem: 'ParameterNotFound', images: [{ imageId: 'ami-0ccccccccccccccc3', name: 'al2023-ami-2023.6', creationDate: '2025-01-01' }] });
    const io = new ScriptedIO(['web', 'vpc-1', 'subnet-a', 'subnet-b', KEEP, '192.168.55.1', KEEP, KEEP, 'ami-0ccccccccccccccc3', 'No key pair', '80 -> 192.168.55.1:80', '80/http -> web.internal:8080; 443 -> 10.40.9.9:443', KEEP, KEEP, KEEP]);
    const result = await runPairWizard(io, source({ amis }));
    assert.match(io.prompts.find((p) => p.labels.includes('ami-0ccccccccccccccc3'))?.text ?? '', /latest Amazon Linux 2023 AMI is unknown \(ParameterNotFound\)/);
    assert.equal(result?.spec.imageId, 'ami-0ccccccccccccccc3');
    assert.match(io.refused[0], /Backend 192\.168\.55\.1 is the VIP itself/);
    assert.equal(result?.spec.listeners.length, 2);
  });

  it('asks to type a public VIP again before taking it; Back returns to the VIP, a private one is not asked about', async () => {
    const io = new ScriptedIO([
      'web', 'vpc-1', 'subnet-a', 'subnet-b', KEEP,
      '8.8.8.8', BACK, // the confirmation's Back: the VIP again
      '52.95.110.1', '52.95.110.11', '52.95.110.1', // a mistyped confirmation is refused
      KEEP, KEEP, KEEP, 'No key pair', '', KEEP, KEEP, KEEP,
    ]);
    const result = await runPairWizard(io, source());
    const confirmations = io.prompts.filter((p) => p.text.includes('is a public address'));
    assert.deepEqual(confirmations.map((p) => p.text.split(':')[0]), ['8.8.8.8 is a public address', '52.95.110.1 is a public address', '52.95.110.1 is a public address']);
    assert.deepEqual(io.refused, ['Type 52.95.110.1 exactly to route this public address, or go Back and pick a private one.']);
    assert.equal(result?.spec.vip, '52.95.110.1');
    assert.equal(result?.spec.confirmedPublicVip, '52.95.110.1');
    assert.ok(io.prompts.at(-1)?.labels.length, 'reached the last step');

    const private_ = new ScriptedIO(['web', 'vpc-1', 'subnet-a', 'subnet-b', KEEP, '100.64.9.9', undefined]);
    await runPairWizard(private_, source());
    assert.equal(private_.prompts.at(-1)?.kind, 'pick', 'after a private VIP comes the route table step');
  });

  it('offers internal, public or both; public ones only with subnets that reach an internet gateway, with an Elastic IP allocated or adopted', async () => {
    // Exposure answers, then the VIP, and the route tables unless the pair is public only.
    const answers = (exposure: Answer[], routeTables = true): Answer[] => {
      const tables: Answer[] = routeTables ? [KEEP] : [];
      return ['web', 'vpc-1', 'subnet-a', 'subnet-b', ...exposure, '192.168.55.1', ...tables, KEEP, KEEP, 'No key pair', '', KEEP, KEEP, KEEP];
    };
    const privateSubnets = new ScriptedIO(answers(['Internal and public', 'Internal (route VIP)']));
    const internal = await runPairWizard(privateSubnets, source());
    assert.deepEqual(privateSubnets.prompts.find((p) => p.text.includes('Who reaches the pair'))?.labels, ['Internal (route VIP)', 'Public (Elastic IP)', 'Internal and public']);
    assert.match(privateSubnets.refused[0] ?? '', /^subnet-a and subnet-b have no route 0\.0\.0\.0\/0 to an internet gateway/);
    assert.equal(internal?.spec.elasticIp, undefined);
    assert.ok(!privateSubnets.prompts.some((p) => p.text.includes('Elastic IP (only unassociated')), 'an internal pair is not asked for an Elastic IP');

    const withIgw: VpcFacts = { ...FACTS, routeTables: [{ routeTableId: 'rtb-main', isMain: true, routes: [{ destination: '0.0.0.0/0', target: 'igw-1' }] }] };
    const both = new ScriptedIO(answers(['Internal and public', KEEP]));
    const allocated = await runPairWizard(both, source({ vpcFacts: async () => withIgw }));
    assert.deepEqual(both.refused, []);
    assert.deepEqual(both.prompts.find((p) => p.text.startsWith("The pair's Elastic IP"))?.labels, ['$(add) Allocate a new Elastic IP', '3.3.3.3']);
    assert.deepEqual(allocated?.spec.elasticIp, {}, 'the default: the stack allocates one');
    assert.deepEqual(allocated?.spec.routeTableIds, ['rtb-main']);

    const publicOnly = new ScriptedIO(answers(['Public (Elastic IP)', '3.3.3.3'], false));
    const adopted = await runPairWizard(publicOnly, source({ vpcFacts: async () => withIgw }));
    assert.deepEqual(publicOnly.refused, []);
    assert.deepEqual(adopted?.spec.elasticIp, { allocationId: 'eipalloc-0123456789abcdef0' });
    assert.deepEqual(adopted?.spec.routeTableIds, [], 'public only: no route table step, no route table');
    assert.ok(!publicOnly.prompts.some((p) => p.text.includes('route tables that carry')));
    assert.match(publicOnly.prompts.find((p) => p.kind === 'input' && p.text.includes('VRRP'))?.text ?? '', /^keepalived's address on MASTER \(VRRP needs one; no route table will carry it\)/);
  });

  it('asks for the region first when several are chosen', async () => {
    const io = new ScriptedIO(['eu-central-1', undefined]);
    assert.equal(await runPairWizard(io, source({ regions: ['eu-west-1', 'eu-central-1'] })), undefined);
    assert.deepEqual(io.prompts[0].labels, ['eu-west-1', 'eu-central-1']);
    assert.equal(io.prompts[0].totalSteps, 15);
    assert.equal(io.prompts[1].step, 2);
  });
});

describe('runWizard', () => {
  const recorder = (log: string[], results: Array<'next' | Back | undefined>, skip?: () => boolean): WizardStep<object> => ({
    skip,
    run: async (_state: object, frame: StepFrame) => {
      log.push(`${frame.step}/${frame.totalSteps}${frame.canGoBack ? '' : ' first'}`);
      return results.shift();
    },
  });

  it('goes back to the step shown before, skipping skipped steps both ways', async () => {
    const log: string[] = [];
    const steps = [recorder(log, ['next', 'next']), recorder(log, ['next'], () => true), recorder(log, [BACK, 'next'])];
    assert.deepEqual(await runWizard(steps, {}), {});
    assert.deepEqual(log, ['1/2 first', '2/2', '1/2 first', '2/2']);
  });

  it('stops when a step is cancelled', async () => {
    const log: string[] = [];
    assert.equal(await runWizard([recorder(log, ['next']), recorder(log, [undefined]), recorder(log, ['next'])], {}), undefined);
    assert.deepEqual(log, ['1/3 first', '2/3']);
  });
});
