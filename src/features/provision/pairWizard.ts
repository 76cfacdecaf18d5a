/**
 * The "Provision HAProxy Pair" flow: one step per decision, each checked on entry with the same rules planPair
 * applies, so a refused value is said at its step and not after a round trip to CloudFormation.
 */
import type * as vscode from 'vscode';
import type { AmiChoice } from '../../core/provision/ami';
import {
  imageIdProblem,
  instanceTypeProblem,
  ipv4CidrProblem,
  pairNameProblem,
  openSshProblem,
  publicVipProblem,
  routeTablesProblem,
  stackNameFor,
  subnetsProblem,
  vipProblem,
  type PairSpec,
  type VpcFacts,
} from '../../core/provision/inputs';
import type { FreeElasticIp, VpcChoice } from '../../core/provision/lookups';
import { publicSubnetsProblem } from '../../core/provision/publicSubnets';
import { BACK, type Back, type InputStepOptions, type StepCheck, type StepItems, type WizardIO } from '../../plumbing/wizardIO';
import { parseListeners, specSummary } from './model';
import { runWizard, type StepFrame, type StepResult, type WizardStep } from '../../plumbing/wizard';

/** The AWS facts the flow offers and checks against, per region. */
export interface ProvisionSource {
  readonly regions: readonly string[];
  /** The status of a live stack of that name, or undefined when the name is free. */
  stackStatus(region: string, stackName: string): Promise<string | undefined>;
  vpcs(region: string): Promise<VpcChoice[]>;
  vpcFacts(region: string, vpcId: string): Promise<VpcFacts>;
  keyPairs(region: string): Promise<string[]>;
  /** Elastic IPs of the region that nothing holds: a public pair may adopt one instead of allocating. */
  freeElasticIps(region: string): Promise<FreeElasticIp[]>;
  /** The latest Amazon Linux 2023 AMI for the instance type's architecture; else why not, and a list to pick from. */
  amis(region: string, instanceType: string): Promise<AmiOffer>;
}

export interface AmiOffer {
  architecture: string;
  latest?: string;
  /** Why the SSM parameter could not be read. */
  problem?: string;
  images: AmiChoice[];
}

export type Finish = 'create' | 'save';

export interface PairWizardResult {
  region: string;
  spec: PairSpec;
  facts: VpcFacts;
  finish: Finish;
}

interface Draft {
  region: string;
  name: string;
  vpcId?: string;
  facts?: VpcFacts;
  subnetA?: string;
  subnetB?: string;
  vip: string;
  /** The VIP typed again to confirm a public address. */
  confirmedPublicVip?: string;
  routeTableIds?: string[];
  instanceType: string;
  imageId?: string;
  keyName?: string;
  sshCidr?: string;
  confirmedSshCidr?: string;
  listenersText: string;
  clientCidr?: string;
  /** Who reaches the pair: through the route VIP, an Elastic IP that moves with MASTER, or both. */
  exposure: Exposure;
  /** An Elastic IP to adopt; undefined: the stack allocates one. */
  allocationId?: string;
  preempt: boolean;
  finish?: Finish;
}

type Exposure = 'internal' | 'public' | 'both';

interface Item<T> extends vscode.QuickPickItem {
  value: T;
}

const TITLE = 'AWS Ops: Provision HAProxy Pair';
const DEFAULT_INSTANCE_TYPE = 't3.small';
const INSTANCE_TYPES: ReadonlyArray<[string, string]> = [
  ['t3.micro', '2 vCPU, 1 GiB, x86_64 (burstable)'],
  ['t3.small', '2 vCPU, 2 GiB, x86_64 (burstable)'],
  ['t3.medium', '2 vCPU, 4 GiB, x86_64 (burstable)'],
  ['t4g.small', '2 vCPU, 2 GiB, arm64 (burstable)'],
  ['c7g.medium', '1 vCPU, 2 GiB, arm64'],
  ['c6i.large', '2 vCPU, 4 GiB, x86_64'],
  ['m6i.large', '2 vCPU, 8 GiB, x86_64'],
];
const OTHER = Symbol('other');

/** Runs the flow; resolves what to build and where, or undefined when the user cancelled. */
export async function runPairWizard(io: WizardIO, source: ProvisionSource): Promise<PairWizardResult | undefined> {
  const draft: Draft = { region: source.regions[0], name: '', vip: '', instanceType: DEFAULT_INSTANCE_TYPE, listenersText: '', preempt: false, exposure: 'internal' };
  const done = await runWizard(pairSteps(io, source), draft);
  if (!done?.finish) return undefined;
  const spec = specOf(done);
  return { region: done.region, spec, facts: done.facts as VpcFacts, finish: done.finish };
}

function pairSteps(io: WizardIO, source: ProvisionSource): WizardStep<Draft>[] {
  const pick = <T>(frame: StepFrame, items: StepItems<Item<T>>, placeholder: string, check?: StepCheck<T>) =>
    io.pickStep(items, { title: TITLE, ...frame, placeholder, matchOnDescription: true, check: check && ((picked) => check(picked[0].value)) }).then(valueOf);
  const input = (frame: StepFrame, options: Omit<InputStepOptions, keyof StepFrame | 'title'>) => io.inputStep({ title: TITLE, ...frame, ...options });
  const subnetItems = (facts: VpcFacts, keep: (az: string) => boolean, picked?: string): Item<string>[] =>
    Object.entries(facts.subnets)
      .filter(([, s]) => keep(s.availabilityZone))
      .sort(([, a], [, b]) => a.availabilityZone.localeCompare(b.availabilityZone))
      .map(([id, s]) => ({ label: id, description: [s.availabilityZone, s.cidr, s.name].filter(Boolean).join(' · '), picked: id === picked, value: id }));
  const facts = (d: Draft) => d.facts as VpcFacts;

  return [
    {
      skip: () => source.regions.length < 2,
      run: async (d, frame) => {
        const items = source.regions.map((region) => ({ label: region, picked: region === d.region, value: region }));
        return settle(await pick(frame, items, 'The region the pair goes into'), (region) => (d.region = region));
      },
    },
    {
      run: async (d, frame) => {
        const name = await input(frame, {
          prompt: `The pair's name: its stack is ${stackNameFor('<name>')}, its nodes <name>-a and <name>-b.`,
          value: d.name,
          placeholder: 'e.g. web-eu1',
          validate: pairNameProblem,
          check: async (value) => {
            const status = await source.stackStatus(d.region, stackNameFor(value));
            return status ? `A stack named ${stackNameFor(value)} already exists in ${d.region} (${status}): pick another name, or tear that pair down first.` : undefined;
          },
        });
        return settle(name, (value) => (d.name = value));
      },
    },
    {
      run: async (d, frame) => {
        const items = source.vpcs(d.region).then((vpcs) =>
          vpcs.map((v) => ({
            label: v.vpcId,
            description: [v.name, v.cidrs.join(', '), v.isDefault ? 'default VPC' : undefined].filter(Boolean).join(' · '),
            picked: v.vpcId === d.vpcId,
            value: v.vpcId,
          })),
        );
        // The VPC's subnets and route tables are read here, once: the next steps offer and check against them.
        const vpcId = await pick(frame, items, `The VPC of pair ${d.name} in ${d.region}`, async (id) => {
          const loaded = await source.vpcFacts(d.region, id);
          const zones = [...new Set(Object.values(loaded.subnets).map((s) => s.availabilityZone))];
          if (zones.length < 2) {
            const where = zones.length === 0 ? 'no Availability Zone' : `only one Availability Zone (${zones[0]})`;
            return `${id} has subnets in ${where}: the two nodes need subnets in two different AZs. Add a subnet or pick another VPC.`;
          }
          if (d.vpcId !== id) Object.assign(d, { subnetA: undefined, subnetB: undefined, routeTableIds: undefined, clientCidr: undefined });
          d.facts = loaded;
          return undefined;
        });
        return settle(vpcId, (id) => (d.vpcId = id));
      },
    },
    {
      run: async (d, frame) => {
        const items = subnetItems(facts(d), () => true, d.subnetA);
        return settle(await pick(frame, items, "Node A's subnet (node A starts as the VIP's route target)"), (id) => (d.subnetA = id));
      },
    },
    {
      run: async (d, frame) => {
        const azA = facts(d).subnets[d.subnetA as string].availabilityZone;
        const items = subnetItems(facts(d), (az) => az !== azA, d.subnetB);
        const check = (id: string) => subnetsProblem([d.subnetA as string, id], facts(d));
        return settle(await pick(frame, items, `Node B's subnet, in another Availability Zone than node A (${azA})`, check), (id) => (d.subnetB = id));
      },
    },
    {
      run: async (d, frame) => {
        const items: Item<Exposure>[] = [
          { label: 'Internal (route VIP)', description: 'default', detail: 'Clients in the VPC and its peers reach the pair at a VIP that every chosen route table sends to MASTER.', picked: d.exposure === 'internal', value: 'internal' },
          { label: 'Public (Elastic IP)', detail: 'Clients on the internet reach the pair at an Elastic IP that moves to MASTER; no route table changes. Both subnets must route to an internet gateway.', picked: d.exposure === 'public', value: 'public' },
          { label: 'Internal and public', detail: 'Both: the route VIP and an Elastic IP, moved together so they always name the same node.', picked: d.exposure === 'both', value: 'both' },
        ];
        const check = (exposure: Exposure) => (exposure === 'internal' ? undefined : publicSubnetsProblem([d.subnetA as string, d.subnetB as string], facts(d)));
        return settle(await pick(frame, items, 'Who reaches the pair', check), (exposure) => (d.exposure = exposure));
      },
    },
    {
      skip: (d) => d.exposure === 'internal',
      run: async (d, frame) => {
        // '' stands for "allocate": an undefined value would read as a cancelled step.
        const allocate: Item<string> = { label: '$(add) Allocate a new Elastic IP', description: 'default', detail: 'The stack allocates it, and releases it when the pair is torn down.', picked: !d.allocationId, value: '' };
        const items = source.freeElasticIps(d.region).then((free) => [
          allocate,
          ...free.map((eip) => ({
            label: eip.publicIp,
            description: [eip.allocationId, eip.name].filter(Boolean).join(' · '),
            detail: 'Adopt it: clients keep the address they know; tearing the pair down leaves it allocated.',
            picked: eip.allocationId === d.allocationId,
            value: eip.allocationId,
          })),
        ]);
        return settle(await pick(frame, items, `The pair's Elastic IP (only unassociated ones in ${d.region} are offered)`), (id) => (d.allocationId = id || undefined));
      },
    },
    {
      run: async (d, frame) => {
        for (;;) {
          const vip = await input(frame, {
            prompt:
              d.exposure === 'public'
                ? `keepalived's address on MASTER (VRRP needs one; no route table will carry it): an IPv4 address outside every CIDR of ${d.vpcId} (${facts(d).cidrs.join(', ')}).`
                : `The VIP: an IPv4 address outside every CIDR of ${d.vpcId} (${facts(d).cidrs.join(', ')}) that no route covers yet.`,
            value: d.vip,
            placeholder: 'e.g. 192.168.55.100',
            validate: (value) => vipProblem(value, facts(d)),
          });
          if (vip === undefined || vip === BACK) return vip;
          d.vip = vip;
          const warning = publicVipProblem(vip);
          if (!warning) return 'next';
          // A public address needs the user to type it again; Back returns to the VIP.
          const typed = await input(frame, {
            prompt: warning,
            placeholder: vip,
            validate: (value) => (value === vip ? undefined : `Type ${vip} exactly to route this public address, or go Back and pick a private one.`),
          });
          if (typed !== BACK) return settle(typed, (value) => (d.confirmedPublicVip = value));
        }
      },
    },
    {
      skip: (d) => d.exposure === 'public',
      run: async (d, frame) => {
        const chosen = d.routeTableIds ?? facts(d).routeTables.map((t) => t.routeTableId);
        const items = facts(d).routeTables.map((t) => ({
          label: t.routeTableId,
          description: [t.name, t.isMain ? 'main' : undefined, `${t.routes.length} route${t.routes.length === 1 ? '' : 's'}`].filter(Boolean).join(' · '),
          picked: chosen.includes(t.routeTableId),
          value: t.routeTableId,
        }));
        const tables = await io.pickStep(items, {
          title: TITLE,
          ...frame,
          canPickMany: true,
          placeholder: `The route tables that carry ${d.vip}/32 (usually all of them)`,
          check: (picked) => routeTablesProblem(picked.map((item) => item.value), facts(d)),
        });
        return settle(valuesOf(tables), (ids) => (d.routeTableIds = ids));
      },
    },
    {
      run: async (d, frame) => {
        const known = INSTANCE_TYPES.some(([type]) => type === d.instanceType);
        const items: Item<string | typeof OTHER>[] = [
          ...INSTANCE_TYPES.map(([type, description]) => ({ label: type, description, picked: type === d.instanceType, value: type })),
          { label: '$(edit) Other instance type…', description: known ? undefined : d.instanceType, picked: !known, value: OTHER },
        ];
        for (;;) {
          const type = await pick(frame, items, 'The instance type of both nodes');
          if (type !== OTHER) return settle(type, (value) => (d.instanceType = value));
          const typed = await input(frame, { prompt: 'An instance type, e.g. m7g.large', value: known ? '' : d.instanceType, validate: instanceTypeProblem });
          if (typed !== BACK) return settle(typed, (value) => (d.instanceType = value));
        }
      },
    },
    {
      run: async (d, frame) => {
        const offer = await source.amis(d.region, d.instanceType);
        const items: Item<string | typeof OTHER>[] = [
          ...(offer.latest ? [{ label: offer.latest, description: `latest Amazon Linux 2023 (${offer.architecture})`, picked: !d.imageId || d.imageId === offer.latest, value: offer.latest }] : []),
          ...offer.images
            .filter((image) => image.imageId !== offer.latest)
            .map((image) => ({ label: image.imageId, description: image.name, detail: image.creationDate, picked: image.imageId === d.imageId, value: image.imageId })),
          { label: '$(edit) Enter an AMI id…', value: OTHER },
        ];
        const placeholder = offer.latest
          ? `The AMI of both nodes (${offer.architecture}, as ${d.instanceType} needs)`
          : `The latest Amazon Linux 2023 AMI is unknown (${offer.problem ?? 'no SSM parameter'}): pick one, or enter an id`;
        for (;;) {
          const image = await pick(frame, items, placeholder);
          if (image !== OTHER) return settle(image, (id) => (d.imageId = id));
          const typed = await input(frame, { prompt: `An AMI id in ${d.region}, built for ${offer.architecture}`, value: d.imageId ?? '', placeholder: 'ami-0123456789abcdef0', validate: imageIdProblem });
          if (typed !== BACK) return settle(typed, (id) => (d.imageId = id));
        }
      },
    },
    {
      run: async (d, frame) => {
        const none: Item<string | undefined> = { label: 'No key pair', description: 'reach the nodes through SSM Session Manager', picked: !d.keyName, value: undefined };
        const items = source.keyPairs(d.region).then((names) => [none, ...names.map((name) => ({ label: name, picked: name === d.keyName, value: name }))]);
        for (;;) {
          const picked = await io.pickStep(items, { title: TITLE, ...frame, placeholder: 'An EC2 key pair for SSH (optional)' });
          if (picked === undefined || picked === BACK) return picked;
          d.keyName = picked.value;
          d.sshCidr = undefined;
          if (!d.keyName) return 'next';
          const ssh = await input(frame, {
            prompt: `Allow SSH (port 22) with ${d.keyName} from this IPv4 CIDR; empty keeps port 22 closed.`,
            placeholder: 'e.g. 10.0.0.0/16',
            validate: (value) => (value === '' ? undefined : ipv4CidrProblem(value, 'SSH CIDR')),
          });
          if (ssh === BACK) continue;
          if (ssh === undefined) return ssh;
          d.sshCidr = ssh || undefined;
          const warning = ssh ? openSshProblem(ssh) : undefined;
          if (!warning) return 'next';
          // SSH from anywhere needs the user to type the CIDR again; Back returns to the key pair.
          const typed = await input(frame, {
            prompt: warning,
            placeholder: ssh,
            validate: (value) => (value === ssh ? undefined : `Type ${ssh} exactly to open SSH to the internet, or go Back and narrow it.`),
          });
          if (typed !== BACK) return settle(typed, (value) => (d.confirmedSshCidr = value));
        }
      },
    },
    {
      run: async (d, frame) => {
        const listeners = await input(frame, {
          prompt: 'haproxy listeners on the VIP: "PORT[/tcp|/http] -> HOST:PORT, HOST:PORT", several separated by ";". Empty: port 80 answers by itself (a minimal default that proves the VIP path).',
          value: d.listenersText,
          placeholder: 'e.g. 443 -> 10.0.1.10:8443, 10.0.1.11:8443; 80/http -> 10.0.1.10:8080',
          validate: (text) => {
            const parsed = parseListeners(text, d.vip);
            return 'problem' in parsed ? parsed.problem : undefined;
          },
        });
        return settle(listeners, (text) => (d.listenersText = text));
      },
    },
    {
      run: async (d, frame) => {
        const cidr = await input(frame, {
          prompt: 'The IPv4 CIDR of the clients allowed to reach the haproxy listeners.',
          value: d.clientCidr ?? facts(d).cidrs[0] ?? '',
          placeholder: 'e.g. 10.0.0.0/8',
          validate: (value) => ipv4CidrProblem(value, 'client CIDR'),
        });
        return settle(cidr, (value) => (d.clientCidr = value));
      },
    },
    {
      run: async (d, frame) => {
        const items = [
          { label: 'No flap back', description: 'default', detail: 'After a failover the VIP stays on the node that took it over: one route move per failure.', picked: !d.preempt, value: false },
          { label: 'Preempt', detail: 'Node A takes the VIP back as soon as it recovers: a second, planned route move.', picked: d.preempt, value: true },
        ];
        return settle(await pick(frame, items, 'When node A recovers after a failover'), (preempt) => (d.preempt = preempt));
      },
    },
    {
      run: async (d, frame) => {
        const summary = specSummary(specOf(d), d.region, facts(d)).join(' ');
        const items: Item<Finish>[] = [
          { label: '$(cloud-upload) Review the change set…', description: 'nothing is created before you confirm', detail: summary, picked: true, value: 'create' },
          { label: '$(save) Save template as…', description: 'for an IaC pipeline; creates nothing', value: 'save' },
        ];
        return settle(await pick(frame, items, `Pair ${d.name} in ${d.region}`), (finish) => (d.finish = finish));
      },
    },
  ];
}

function specOf(d: Draft): PairSpec {
  const parsed = parseListeners(d.listenersText, d.vip);
  return {
    name: d.name,
    vpcId: d.vpcId as string,
    subnetIds: [d.subnetA as string, d.subnetB as string],
    vip: d.vip,
    ...(d.confirmedPublicVip === d.vip ? { confirmedPublicVip: d.vip } : {}),
    routeTableIds: d.exposure === 'public' ? [] : (d.routeTableIds ?? []),
    instanceType: d.instanceType,
    imageId: d.imageId as string,
    ...(d.keyName ? { keyName: d.keyName } : {}),
    ...(d.sshCidr ? { sshCidr: d.sshCidr } : {}),
    ...(d.sshCidr && d.confirmedSshCidr === d.sshCidr ? { confirmedSshCidr: d.sshCidr } : {}),
    listeners: 'listeners' in parsed ? parsed.listeners : [],
    clientCidr: d.clientCidr as string,
    preempt: d.preempt,
    ...(d.exposure === 'internal' ? {} : { elasticIp: d.allocationId ? { allocationId: d.allocationId } : {} }),
  };
}

/** Stores an answer and moves on; passes Back and cancel through. */
function settle<T>(answer: T | Back | undefined, store: (value: T) => void): StepResult {
  if (answer === undefined) return undefined;
  if (answer === BACK) return BACK;
  store(answer as T);
  return 'next';
}

function valueOf<T>(picked: Item<T> | Back | undefined): T | Back | undefined {
  return picked === undefined || picked === BACK ? picked : picked.value;
}

function valuesOf<T>(picked: Item<T>[] | Back | undefined): T[] | Back | undefined {
  return picked === undefined || picked === BACK ? picked : picked.map((item) => item.value);
}

