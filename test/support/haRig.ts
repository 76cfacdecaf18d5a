/**
 * A real HA pair in network namespaces: nodes A and B run Debian's haproxy and keepalived with the files the product
 * generates (nodeFiles, the template's inputs), an IMDSv2 stand-in and a backend each; the `aws` namespace holds the
 * bridge, moto and the EC2 gateway the notify scripts call (pair.conf's ENDPOINT_URL). Only loopback and namespace
 * addresses are used. The test process talks to moto through a 127.0.0.1 port relayed to the gateway's unix socket.
 * Needs root and `ip netns`; everything is torn down in destroy(), on SIGINT/SIGTERM, and — for a crashed earlier
 * run — by name prefix when the next rig starts.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeAddressesCommand,
  DescribeRouteTablesCommand,
  RunInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import type { Listener, PairSpec } from '../../src/core/provision/inputs';
import type { NodeRole } from '../../src/core/provision/keepalived';
import { DEFAULT_STATS_PORT, HEALTH_PATH, type NodePaths } from '../../src/core/provision/nodePaths';
import { HAPROXY_WATCH_SERVICE } from '../../src/core/provision/haproxyWatch';
import { ROUTE_KEEPER_SERVICE, ROUTE_KEEPER_TIMER } from '../../src/core/provision/routeKeeper';
import { nodeFiles, PRIMARY_INTERFACE_MARKER, renderUserData, VIP_UNIT, type NodeFile, type NodeUserDataInput } from '../../src/core/provision/userData';
import { SessionPool } from '../../src/core/session/pool';
import { CALLS_PATH, FAULTS_PATH, type GatewayCall, type GatewayFaults } from './haGateway';
import { standInArgs } from './haStandIn';
import { MOTO_CREDENTIALS } from './moto';
import { AMI } from './pairWorld';
import { makeSandbox, type Sandbox } from './provisionSandbox';

export const HA_VIP = '192.168.77.10';
export const HA_REGION = 'eu-west-1';
/** The stack name the nodes' readiness signal names (the rig has no stack: the gateway answers the signal). */
export const HA_STACK = 'awsops-pair-ha';
const PAIR_NAME = 'ha';
const NAME_PREFIX = 'awsops-';
const GATEWAY_PORT = 5000;
const MOTO_PORT = 5001;
const BACKEND_PORT = 8080;
/** What systemd gives a unit: scripts must not depend on the caller's PATH (pyenv shims and the like). */
const UNIT_ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' };
const ROLES: readonly NodeRole[] = ['a', 'b'];

export type VrrpState = 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP' | 'none';

/** Faults a test or bench can inject on the MASTER, each with its recovery. */
export const HA_FAULTS = ['haproxy SIGKILL', 'haproxy hang', 'keepalived SIGTERM', 'keepalived SIGKILL', 'link down', 'node power-off'] as const;
export type HaFault = (typeof HA_FAULTS)[number];

/** What a failover ended in, for the caller to assert or count. */
export interface FailoverResult {
  from: NodeRole;
  to: NodeRole;
  /** From the fault until every route table (and a public pair's Elastic IP) pointed at `to`. */
  seconds: number;
  /** From the fault until `to` logged "is now MASTER". */
  masterAfter?: number;
  toState: VrrpState;
  /** Nodes holding the VIP on eth0 once the routes had moved. */
  vipHolders: NodeRole[];
  /** What a client through the VIP got back. */
  servedBy: string;
}

export interface HaNode {
  role: NodeRole;
  /** What the node's backend answers, e.g. "node-a". */
  name: string;
  ns: string;
  ip: string;
  instanceId: string;
  eniId: string;
  /** The notify script's LOG_FILE. */
  logFile: string;
  paths: NodePaths;
}

export interface HaRigOptions {
  preempt?: boolean;
  /** Seconds between route keeper runs; default: the generated timer's OnUnitActiveSec. */
  keeperIntervalSeconds?: number;
  /**
   * A public-only pair: an Elastic IP (allocated in moto, on node A first) moves with MASTER and no route table carries
   * the VIP. The client still reaches the pair at the VIP on lo, sent to the Elastic IP's holder as EC2's NAT would.
   */
  publicOnly?: boolean;
  /** Changes the generated files before they are written (a bench's reference design); default: as generated. */
  rewriteFiles?: (files: NodeFile[], node: HaNode) => NodeFile[];
  log?: (message: string) => void;
}

/** Why the rig cannot run here, or undefined: only root with `ip netns` can build it. */
export function haRigUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'the HA pair test needs root for network namespaces (CI runs it as root)';
  const probe = `${NAME_PREFIX}${process.pid}-probe`;
  const added = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (added.status !== 0) return `\`ip netns\` is unavailable: ${(added.stderr || added.error?.message || '').trim()}`;
  spawnSync('ip', ['netns', 'del', probe]);
  return undefined;
}

const liveRigs = new Set<HaRig>();
let rigCount = 0;

export class HaRig {
  readonly nodes: Record<NodeRole, HaNode>;
  readonly routeTableIds: string[] = [];
  vpcId = '';
  /** The public-only pair's Elastic IP. */
  allocationId?: string;
  ec2!: EC2Client;
  private readonly children = new Map<string, ChildProcess>();
  private readonly boxes: Record<NodeRole, Sandbox>;
  private readonly pool = new SessionPool(() => undefined, () => ({ override: async () => MOTO_CREDENTIALS }));
  private relay?: Server;
  private readonly relayed = new Set<Socket>();
  private spec: NodeUserDataInput['spec'];
  private keeperInterval: number | undefined;
  private readonly rewriteFiles: NonNullable<HaRigOptions['rewriteFiles']>;
  private readonly awsNs: string;
  private readonly gatewayIp: string;
  private readonly socketPath: string;
  private readonly publicOnly: boolean;

  private constructor(
    private readonly dir: string,
    prefix: string,
    net: string,
    private readonly log: (message: string) => void,
    options: HaRigOptions,
  ) {
    this.awsNs = `${prefix}-aws`;
    this.gatewayIp = `${net}.1`;
    this.socketPath = join(dir, 'gateway.sock');
    this.keeperInterval = options.keeperIntervalSeconds;
    this.publicOnly = options.publicOnly ?? false;
    this.rewriteFiles = options.rewriteFiles ?? ((files) => files);
    const listeners: Listener[] = [{ port: 80, mode: 'http', servers: [{ host: '127.0.0.1', port: BACKEND_PORT }] }];
    this.spec = { name: PAIR_NAME, vip: HA_VIP, routeTableIds: [], listeners, preempt: options.preempt ?? false };
    this.boxes = { a: makeSandbox(relative(tmpdir(), join(dir, 'node-a'))), b: makeSandbox(relative(tmpdir(), join(dir, 'node-b'))) };
    const node = (role: NodeRole, host: number): HaNode => ({
      role,
      name: `node-${role}`,
      ns: `${prefix}-${role}`,
      ip: `${net}.${host}`,
      instanceId: '',
      eniId: '',
      logFile: join(this.boxes[role].root, 'notify.log'),
      paths: this.boxes[role].paths,
    });
    this.nodes = { a: node('a', 11), b: node('b', 12) };
  }

  /** Builds the whole world; node A ends up MASTER with every route table pointing at it. */
  static async start(options: HaRigOptions = {}): Promise<HaRig> {
    cleanLeftovers();
    installSignalCleanup();
    const seq = rigCount++;
    const dir = join(tmpdir(), `awsops-ha-${process.pid}-${seq}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const rig = new HaRig(dir, `${NAME_PREFIX}${process.pid}-${seq}`, freeNet(), options.log ?? (() => undefined), options);
    liveRigs.add(rig);
    try {
      const started = performance.now();
      rig.buildNetwork();
      await rig.startAws();
      await rig.seed();
      for (const role of ROLES) await rig.startNode(role);
      await rig.settle('a', 20_000);
      rig.log(`rig up in ${((performance.now() - started) / 1000).toFixed(1)} s (${rig.awsNs}, ${rig.gatewayIp}/24)`);
      return rig;
    } catch (error) {
      const state = rig.describe();
      rig.destroy();
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${state}`);
    }
  }

  peer(role: NodeRole): NodeRole {
    return role === 'a' ? 'b' : 'a';
  }

  // --- the world -------------------------------------------------------------------------------------------

  private buildNetwork(): void {
    const aws = this.awsNs;
    run(['ip', 'netns', 'add', aws]);
    run(['ip', '-n', aws, 'link', 'set', 'lo', 'up']);
    run(['ip', '-n', aws, 'link', 'add', 'br0', 'type', 'bridge']);
    run(['ip', '-n', aws, 'addr', 'add', `${this.gatewayIp}/24`, 'dev', 'br0']);
    run(['ip', '-n', aws, 'link', 'set', 'br0', 'up']);
    for (const role of ROLES) {
      const { ns, ip } = this.nodes[role];
      run(['ip', 'netns', 'add', ns]);
      run(['ip', 'link', 'add', 'eth0', 'netns', ns, 'type', 'veth', 'peer', 'name', `v${role}`, 'netns', aws]);
      run(['ip', '-n', aws, 'link', 'set', `v${role}`, 'master', 'br0', 'up']);
      run(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
      run(['ip', '-n', ns, 'link', 'set', 'eth0', 'up']);
      run(['ip', '-n', ns, 'addr', 'add', `${ip}/24`, 'dev', 'eth0']);
      run(['ip', '-n', ns, 'route', 'add', 'default', 'via', this.gatewayIp]);
      // The metadata address is link-local on EC2; here the stand-in listens on it inside the node.
      run(['ip', '-n', ns, 'addr', 'add', '169.254.169.254/32', 'dev', 'lo']);
    }
  }

  private async startAws(): Promise<void> {
    this.spawnIn(this.awsNs, 'moto', [process.env.MOTO_SERVER ?? 'moto_server', '-H', '127.0.0.1', '-p', String(MOTO_PORT)], process.env);
    const gateway = join(__dirname, 'haGateway.js');
    this.spawnIn(this.awsNs, 'gateway', [process.execPath, gateway, `${this.gatewayIp}:${GATEWAY_PORT}`, this.socketPath, String(MOTO_PORT)]);
    this.relay = createServer((client) => {
      this.relayed.add(client);
      client.on('close', () => this.relayed.delete(client));
      const upstream = connect(this.socketPath);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    const relay = this.relay;
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const address = relay.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    await waitFor('moto through the gateway', 30_000, async () => {
      try {
        return (await fetch(`${url}/moto-api/`, { signal: AbortSignal.timeout(2000) })).ok;
      } catch {
        return false;
      }
    });
    this.ec2 = this.pool.get({ region: HA_REGION, endpointUrl: url }).client('ec2');
  }

  /**
   * The VPC, one subnet and instance per node (in two AZs) and two route tables sending the VIP to node A; for a
   * public-only pair, an Elastic IP on node A instead of the tables.
   */
  private async seed(): Promise<void> {
    const vpcId = (await this.ec2.send(new CreateVpcCommand({ CidrBlock: '10.50.0.0/16' }))).Vpc?.VpcId as string;
    this.vpcId = vpcId;
    for (const [index, role] of ROLES.entries()) {
      const subnet = await this.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.50.${index + 1}.0/24`, AvailabilityZone: `${HA_REGION}${role}` }));
      const run = await this.ec2.send(new RunInstancesCommand({
        ImageId: AMI, MinCount: 1, MaxCount: 1, InstanceType: 't3.micro', SubnetId: subnet.Subnet?.SubnetId,
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: `${PAIR_NAME}-${role}` }] }],
      }));
      const instance = run.Instances?.[0];
      this.nodes[role].instanceId = instance?.InstanceId as string;
      this.nodes[role].eniId = instance?.NetworkInterfaces?.[0]?.NetworkInterfaceId as string;
    }
    if (this.publicOnly) {
      this.allocationId = (await this.ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }))).AllocationId as string;
      await this.ec2.send(new AssociateAddressCommand({ AllocationId: this.allocationId, NetworkInterfaceId: this.nodes.a.eniId }));
      return;
    }
    for (let i = 0; i < 2; i++) this.routeTableIds.push(await this.createVipTable(this.nodes.a.eniId));
    this.spec = { ...this.spec, routeTableIds: [...this.routeTableIds] };
  }

  /** A route table of the pair's VPC with the VIP route pointing at `eniId`. */
  async createVipTable(eniId: string): Promise<string> {
    const table = await this.ec2.send(new CreateRouteTableCommand({ VpcId: this.vpcId }));
    const id = table.RouteTable?.RouteTableId as string;
    await this.ec2.send(new CreateRouteCommand({ RouteTableId: id, DestinationCidrBlock: `${HA_VIP}/32`, NetworkInterfaceId: eniId }));
    return id;
  }

  /** The node's input to the generators, exactly as the template passes it plus the optional pair.conf settings. */
  private userDataInput(role: NodeRole): NodeUserDataInput {
    const node = this.nodes[role];
    return {
      spec: this.spec,
      node: role,
      selfIp: node.ip,
      peerIp: this.nodes[this.peer(role)].ip,
      region: HA_REGION,
      eniId: node.eniId,
      peerEniId: this.nodes[this.peer(role)].eniId,
      allocationId: this.allocationId,
      signal: { stackName: HA_STACK, signalResource: `Node${role.toUpperCase()}` },
      settings: { endpointUrl: this.endpointUrl(), cfnEndpointUrl: this.endpointUrl(), logFile: node.logFile },
      paths: node.paths,
    };
  }

  private endpointUrl(): string {
    return `http://${this.gatewayIp}:${GATEWAY_PORT}`;
  }

  /** Writes the generated files, then does what the user data's runcmd does (the interface name). */
  private writeFiles(role: NodeRole): void {
    const input = this.userDataInput(role);
    const box = this.boxes[role];
    box.write(this.rewriteFiles(nodeFiles(input), this.nodes[role]));
    mkdirSync(join(box.root, 'run/haproxy'), { recursive: true });
    const fill = renderUserData(input).split('\n').find((line) => line.startsWith('  - "') && line.includes(PRIMARY_INTERFACE_MARKER));
    if (!fill) throw new Error('the user data has no step that names the VRRP interface');
    run(['ip', 'netns', 'exec', this.nodes[role].ns, 'bash', '-c', JSON.parse(fill.slice(4)) as string]);
  }

  private async startNode(role: NodeRole): Promise<void> {
    const node = this.nodes[role];
    this.writeFiles(role);
    run(['ip', 'netns', 'exec', node.ns, ...unitCommand(this.unit(role, VIP_UNIT), 'ExecStart')]);
    this.spawnIn(node.ns, `standin-${role}`, [
      '/usr/bin/python3',
      ...standInArgs({ name: node.name, instanceId: node.instanceId, region: HA_REGION, eniId: node.eniId, mac: `02:00:00:00:00:${role === 'a' ? '0a' : '0b'}` }),
    ]);
    await waitFor(`${node.name} backend`, 10_000, () => this.nsOk(role, ['curl', '-sf', '-o', '/dev/null', '--max-time', '1', `http://127.0.0.1:${BACKEND_PORT}/`]));
    await this.startHaproxy(role);
    await this.startWatch(role);
    await this.startKeepalived(role);
    this.startKeeper(role);
  }

  private unit(role: NodeRole, name: string): string {
    return readFileSync(join(this.nodes[role].paths.systemdDir, name), 'utf8');
  }

  // --- processes -------------------------------------------------------------------------------------------

  private spawnIn(ns: string, label: string, argv: string[], env: NodeJS.ProcessEnv = UNIT_ENV): ChildProcess {
    const out = openSync(join(this.dir, `${label}.log`), 'a');
    const child = spawn('ip', ['netns', 'exec', ns, ...argv], { detached: true, stdio: ['ignore', out, out], env });
    closeSync(out);
    this.children.set(label, child);
    return child;
  }

  /** `group`: the child's whole process group (it was spawned detached, so it leads one). */
  private async stopChild(label: string, signal: NodeJS.Signals, group = false): Promise<void> {
    const child = this.children.get(label);
    this.children.delete(label);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (group && child.pid !== undefined) killQuietly(-child.pid, signal);
    else child.kill(signal);
    await Promise.race([exited, sleep(5000)]);
  }

  async startHaproxy(role: NodeRole): Promise<void> {
    // -n: the generated maxconn 20000 needs ~40k descriptors; this container's hard limit is 20000 (systemd's is far higher).
    this.spawnIn(this.nodes[role].ns, `haproxy-${role}`, ['/usr/sbin/haproxy', '-n', '4000', '-db', '-f', this.nodes[role].paths.haproxyCfg]);
    await waitFor(`haproxy on ${role}`, 10_000, () => this.healthy(role));
  }

  /** SIGKILL: gone at once, the way a crash looks. */
  async killHaproxy(role: NodeRole): Promise<void> {
    await this.stopChild(`haproxy-${role}`, 'SIGKILL', true);
  }

  /** SIGSTOP (or SIGCONT): the process lives on but answers nothing, as when wedged. */
  freezeHaproxy(role: NodeRole, frozen: boolean): void {
    const pid = this.children.get(`haproxy-${role}`)?.pid;
    if (pid !== undefined) killQuietly(-pid, frozen ? 'SIGSTOP' : 'SIGCONT');
  }

  healthy(role: NodeRole): boolean {
    return this.nsOk(role, ['curl', '-sf', '-o', '/dev/null', '--max-time', '1', `http://127.0.0.1:${DEFAULT_STATS_PORT}${HEALTH_PATH}`]);
  }

  async startKeepalived(role: NodeRole): Promise<void> {
    await this.reapKeepalived(role);
    const { paths, ns } = this.nodes[role];
    const run = join(this.boxes[role].root, 'run');
    // A killed keepalived's orphaned child lingers as a zombie (this container's init does not reap it); keepalived
    // would take its pid file for a running daemon and exit 0, so stale pid files go, as systemd's PIDFile= handling does.
    const pidFiles = [paths.keepalivedPidFile, join(run, 'vrrp.pid'), join(run, 'checkers.pid'), join(run, 'bfd.pid')];
    for (const file of pidFiles) rmSync(file, { force: true });
    mkdirSync(run, { recursive: true });
    this.spawnIn(ns, `keepalived-${role}`, [
      '/usr/sbin/keepalived', '-n', '-l', '-D', '-f', paths.keepalivedConf,
      // Two keepalived on one host need their own pid files, else the second exits 0 at once.
      ...['-p', '-r', '-c', '-b'].flatMap((flag, i) => [flag, pidFiles[i]]),
    ]);
    await waitFor(`keepalived on ${role} to write its pid file`, 10_000, () => existsSync(paths.keepalivedPidFile) && readFileSync(paths.keepalivedPidFile, 'utf8').trim() !== '');
  }

  /** TERM: keepalived sends priority 0 and leaves. KILL: only the parent dies; its VRRP child may live on. */
  async stopKeepalived(role: NodeRole, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    await this.stopChild(`keepalived-${role}`, signal);
  }

  /** Kills whatever keepalived processes are left in the node (a VRRP child orphaned by a SIGKILL). */
  async reapKeepalived(role: NodeRole): Promise<void> {
    for (const pid of this.keepalivedPids(role)) killQuietly(pid, 'SIGKILL');
    await waitFor(`old keepalived on ${role} to exit`, 5000, () => this.keepalivedPids(role).length === 0);
  }

  /** Runs the haproxy watcher service's command and waits until it has marked haproxy up. */
  async startWatch(role: NodeRole): Promise<void> {
    const { ns, paths } = this.nodes[role];
    this.spawnIn(ns, `watch-${role}`, unitCommand(this.unit(role, HAPROXY_WATCH_SERVICE), 'ExecStart'));
    await waitFor(`the haproxy watcher on ${role}`, 10_000, () => existsSync(paths.haproxyDownFile) && readFileSync(paths.haproxyDownFile, 'utf8').trim() === '0');
  }

  /** Runs the route keeper's command (the service's ExecStart) on the timer's interval, or the override. */
  startKeeper(role: NodeRole): void {
    const command = unitCommand(this.unit(role, ROUTE_KEEPER_SERVICE), 'ExecStart');
    const interval = this.keeperInterval ?? Number(/^OnUnitActiveSec=(\d+)s$/m.exec(this.unit(role, ROUTE_KEEPER_TIMER))?.[1]);
    if (!Number.isFinite(interval) || interval <= 0) throw new Error('the route keeper timer has no OnUnitActiveSec');
    const loop = `while :; do ${command.map(shellWord).join(' ')}; sleep ${interval}; done`;
    this.spawnIn(this.nodes[role].ns, `keeper-${role}`, ['/bin/bash', '-c', loop]);
  }

  /**
   * Runs the user data's last step (`awsops-notify ready`) in the background; resolves with its exit code.
   * `timeoutSeconds` overrides the generated READY_TIMEOUT (pair.conf is shell: a later line wins).
   */
  ready(role: NodeRole, timeoutSeconds?: number): Promise<number | null> {
    const { ns, paths } = this.nodes[role];
    if (timeoutSeconds !== undefined) appendFileSync(paths.pairConf, `READY_TIMEOUT=${timeoutSeconds}\n`);
    const runcmd = renderUserData(this.userDataInput(role)).trimEnd().split('\n').pop() ?? '';
    if (!runcmd.endsWith(' ready')) throw new Error(`the user data's last step is not the readiness check: ${runcmd}`);
    const child = this.spawnIn(ns, `ready-${role}`, runcmd.replace(/^ {2}- /, '').split(' '));
    return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Replaces haproxy.cfg with one haproxy refuses (as a bad listener edit would) and restarts haproxy on it. */
  async breakHaproxyConfig(role: NodeRole): Promise<void> {
    await this.killHaproxy(role);
    appendFileSync(this.nodes[role].paths.haproxyCfg, 'frontend broken\n  bind :not-a-port\n');
    this.spawnIn(this.nodes[role].ns, `haproxy-${role}`, ['/usr/sbin/haproxy', '-n', '4000', '-db', '-f', this.nodes[role].paths.haproxyCfg]);
  }

  async stopKeeper(role: NodeRole): Promise<void> {
    await this.stopChild(`keeper-${role}`, 'SIGKILL');
  }

  /** Restarts both keepers with another interval (undefined: the generated one). */
  async setKeeperInterval(seconds: number | undefined): Promise<void> {
    this.keeperInterval = seconds;
    for (const role of ROLES) {
      await this.stopKeeper(role);
      this.startKeeper(role);
    }
  }

  /** Regenerates both nodes' files from a changed spec; keepalived rereads its config only when restarted. */
  async reconfigure(change: Partial<Pick<PairSpec, 'preempt' | 'routeTableIds'>>, restartKeepalived: boolean): Promise<void> {
    this.spec = { ...this.spec, ...change };
    for (const role of ROLES) this.writeFiles(role);
    if (!restartKeepalived) return;
    for (const role of ROLES) await this.stopKeepalived(role, 'SIGTERM');
    for (const role of ROLES) await this.startKeepalived(role);
  }

  // --- faults ----------------------------------------------------------------------------------------------

  /** Faults the MASTER and waits (without waiting for the fault itself to finish) until every route table left it. */
  async failover(fault: HaFault, timeoutMs = 15_000): Promise<FailoverResult> {
    const from = this.master();
    const to = this.peer(from);
    const wall = Date.now();
    const started = performance.now();
    const injected = this.inject(fault, from);
    const seconds = await this.waitMovedTo(to, started, timeoutMs);
    await injected;
    return { from, to, seconds, masterAfter: this.becameMasterAfter(to, wall), toState: this.state(to), vipHolders: this.vipHolders(), servedBy: await this.curlVip() };
  }

  async inject(fault: HaFault, role: NodeRole): Promise<void> {
    switch (fault) {
      case 'haproxy SIGKILL':
        return this.killHaproxy(role);
      case 'haproxy hang':
        return this.freezeHaproxy(role, true);
      case 'keepalived SIGTERM':
        return this.stopKeepalived(role, 'SIGTERM');
      case 'keepalived SIGKILL':
        return this.stopKeepalived(role, 'SIGKILL');
      case 'link down':
        return this.setLink(role, false);
      case 'node power-off':
        return this.powerOff(role);
    }
  }

  async recover(fault: HaFault, role: NodeRole): Promise<void> {
    switch (fault) {
      case 'haproxy SIGKILL':
        return this.startHaproxy(role);
      case 'haproxy hang':
        this.freezeHaproxy(role, false);
        return waitFor(`haproxy on ${role} to answer again`, 10_000, () => this.healthy(role));
      case 'keepalived SIGTERM':
      case 'keepalived SIGKILL':
        return this.startKeepalived(role);
      case 'link down':
        return this.setLink(role, true);
      case 'node power-off':
        return this.powerOn(role);
    }
  }

  /** Everything on the node stops at once and its link goes dark: no goodbye advert, no process exit seen by anyone. */
  async powerOff(role: NodeRole): Promise<void> {
    this.setLink(role, false);
    await this.stopKeeper(role);
    await this.stopChild(`watch-${role}`, 'SIGKILL', true);
    await this.stopChild(`keepalived-${role}`, 'SIGKILL', true);
    await this.reapKeepalived(role);
    await this.killHaproxy(role);
  }

  /** Boots the node's services again, in systemd's order. */
  async powerOn(role: NodeRole): Promise<void> {
    this.setLink(role, true);
    await this.startHaproxy(role);
    await this.startWatch(role);
    await this.startKeepalived(role);
    this.startKeeper(role);
  }

  /**
   * Busies `role` for `ms`: a CPU burner per core in its namespace and a flood of parallel requests through the VIP.
   * Returns every role change seen meanwhile (sampled every 100 ms and from the notify logs): each is a false failover.
   */
  async underStress(role: NodeRole, ms: number): Promise<string[]> {
    const peer = this.peer(role);
    const mark = this.logMark(peer);
    await this.curlVip(); // points the client's route at the VIP's holder
    const labels = cpus().map((_, i) => `stress-cpu-${i}`);
    labels.forEach((label) => this.spawnIn(this.nodes[role].ns, label, ['/bin/sh', '-c', 'while :; do :; done']));
    const flood = `for i in 1 2 3 4 5 6 7 8; do (while :; do curl -s -o /dev/null --max-time 2 http://${HA_VIP}/; done) & done; wait`;
    this.spawnIn(this.awsNs, 'stress-net', ['/bin/bash', '-c', flood]);
    labels.push('stress-net');
    const changes: string[] = [];
    const started = performance.now();
    const steady = `${role.toUpperCase()}=MASTER ${peer.toUpperCase()}=BACKUP`;
    let last = steady;
    try {
      while (performance.now() - started < ms) {
        const states = `${role.toUpperCase()}=${this.state(role)} ${peer.toUpperCase()}=${this.state(peer)}`;
        if (states !== last && states !== steady) changes.push(`${((performance.now() - started) / 1000).toFixed(1)} s: ${states}`);
        last = states;
        await sleep(100);
      }
    } finally {
      for (const label of labels) await this.stopChild(label, 'SIGKILL', true);
    }
    const taken = this.notifyLog(peer, mark).split('\n').filter((line) => / is now MASTER/.test(line));
    return [...changes, ...taken.map((line) => `${peer.toUpperCase()} log: ${line}`)];
  }

  setLink(role: NodeRole, up: boolean): void {
    const { ns } = this.nodes[role];
    run(['ip', '-n', ns, 'link', 'set', 'eth0', up ? 'up' : 'down']);
    // Taking the link down drops the default route with it; the user data's interface lookup needs it.
    if (up) run(['ip', '-n', ns, 'route', 'replace', 'default', 'via', this.gatewayIp]);
  }

  /** Bridge port isolation: the nodes no longer hear each other, and both still reach the EC2 API. */
  setPartition(on: boolean): void {
    for (const role of ROLES) run(['bridge', '-n', this.awsNs, 'link', 'set', 'dev', `v${role}`, 'isolated', on ? 'on' : 'off']);
  }

  /** A prohibit route: the node's calls to the EC2 API fail at once; VRRP to the peer is untouched. */
  setApiBlocked(role: NodeRole, blocked: boolean): void {
    run(['ip', '-n', this.nodes[role].ns, 'route', blocked ? 'add' : 'del', 'prohibit', `${this.gatewayIp}/32`]);
  }

  async setFaults(faults: GatewayFaults): Promise<void> {
    await this.gateway('PUT', FAULTS_PATH, JSON.stringify(faults));
  }

  /** Every EC2 call the nodes made through the gateway. */
  async calls(): Promise<GatewayCall[]> {
    return JSON.parse(await this.gateway('GET', CALLS_PATH)) as GatewayCall[];
  }

  private gateway(method: string, path: string, body?: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = request({ socketPath: this.socketPath, method, path }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`gateway ${path}: HTTP ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  // --- observations ----------------------------------------------------------------------------------------

  /** The one node keepalived reports MASTER; throws when none or both are. */
  master(): NodeRole {
    const masters = ROLES.filter((role) => this.state(role) === 'MASTER');
    if (masters.length !== 1) throw new Error(`expected one MASTER, got ${masters.join(', ') || 'none'}\n${this.describe()}`);
    return masters[0];
  }

  /** Live keepalived processes in the node (after a SIGKILL of the parent, its VRRP child may remain). */
  keepalivedPids(role: NodeRole): number[] {
    return namespacePids(this.nodes[role].ns).filter((pid) => commOf(pid) === 'keepalived');
  }

  /** The state keepalived last reported through the generic notify. */
  state(role: NodeRole): VrrpState {
    try {
      return readFileSync(this.nodes[role].paths.stateFile, 'utf8').trim() as VrrpState;
    } catch {
      return 'none';
    }
  }

  /** Nodes whose keepalived holds the VIP on eth0 (lo carries it on both nodes all the time). */
  vipHolders(): NodeRole[] {
    return ROLES.filter((role) => run(['ip', '-n', this.nodes[role].ns, '-o', '-4', 'addr', 'show', 'dev', 'eth0']).includes(` ${HA_VIP}/32 `));
  }

  /** Route table id → the role its VIP route points at ("none": no route, "other": some other target). */
  async routeRoles(tableIds: readonly string[] = this.routeTableIds): Promise<Record<string, NodeRole | 'none' | 'other'>> {
    const answer = await this.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [...tableIds] }));
    const roles: Record<string, NodeRole | 'none' | 'other'> = {};
    for (const table of answer.RouteTables ?? []) {
      const route = table.Routes?.find((r) => r.DestinationCidrBlock === `${HA_VIP}/32`);
      const target = route?.NetworkInterfaceId;
      roles[table.RouteTableId as string] = !route ? 'none' : (ROLES.find((role) => this.nodes[role].eniId === target) ?? 'other');
    }
    return roles;
  }

  async routesOn(role: NodeRole, tableIds: readonly string[] = this.routeTableIds): Promise<boolean> {
    return Object.values(await this.routeRoles(tableIds)).every((r) => r === role);
  }

  /** Seconds from `since` (performance.now()) until every route table points at `role`. */
  async waitRoutesOn(role: NodeRole, since: number, timeoutMs = 15_000, tableIds: readonly string[] = this.routeTableIds): Promise<number> {
    await waitFor(`every route table on node ${role.toUpperCase()}`, timeoutMs, () => this.routesOn(role, tableIds), 25, () => this.describe());
    return (performance.now() - since) / 1000;
  }

  /** The node the public-only pair's Elastic IP is associated with ("none" when unassociated, "other" elsewhere). */
  async elasticIpRole(): Promise<NodeRole | 'none' | 'other'> {
    const address = (await this.ec2.send(new DescribeAddressesCommand({ AllocationIds: [this.allocationId as string] }))).Addresses?.[0];
    if (!address?.NetworkInterfaceId) return 'none';
    return ROLES.find((role) => this.nodes[role].eniId === address.NetworkInterfaceId) ?? 'other';
  }

  /** Every route table, or the public-only pair's Elastic IP, on `role`. */
  async movedTo(role: NodeRole): Promise<boolean> {
    return this.publicOnly ? (await this.elasticIpRole()) === role : this.routesOn(role);
  }

  /** Seconds from `since` (performance.now()) until movedTo(role). */
  async waitMovedTo(role: NodeRole, since: number, timeoutMs = 15_000): Promise<number> {
    const what = this.publicOnly ? 'the Elastic IP' : 'every route table';
    await waitFor(`${what} on node ${role.toUpperCase()}`, timeoutMs, () => this.movedTo(role), 25, () => this.describe());
    return (performance.now() - since) / 1000;
  }

  /**
   * A client in the `aws` namespace sends the VIP where the first route table says, as the VPC router would; for a
   * public-only pair, where the Elastic IP is, as EC2's NAT would.
   */
  async curlVip(): Promise<string> {
    const target = this.publicOnly ? await this.elasticIpRole() : (await this.routeRoles())[this.routeTableIds[0]];
    if (target !== 'a' && target !== 'b') return `no route (${target})`;
    run(['ip', '-n', this.awsNs, 'route', 'replace', `${HA_VIP}/32`, 'via', this.nodes[target].ip]);
    const answer = spawnSync('ip', ['netns', 'exec', this.awsNs, 'curl', '-s', '--max-time', '2', `http://${HA_VIP}/`], { encoding: 'utf8', timeout: 5000 });
    return answer.status === 0 ? answer.stdout.trim() : `curl failed (${answer.status})`;
  }

  /** The notify log; `from` is a length returned by logMark(). */
  notifyLog(role: NodeRole, from = 0): string {
    try {
      return readFileSync(this.nodes[role].logFile, 'utf8').slice(from);
    } catch {
      return '';
    }
  }

  logMark(role: NodeRole): number {
    return existsSync(this.nodes[role].logFile) ? statSync(this.nodes[role].logFile).size : 0;
  }

  /** Seconds from the wall-clock time `sinceMs` to the node's first "is now MASTER" log line after it. */
  becameMasterAfter(role: NodeRole, sinceMs: number): number | undefined {
    for (const line of this.notifyLog(role).split('\n')) {
      const match = /^(\S+Z) keepalived \S+ is now MASTER/.exec(line);
      if (match && Date.parse(match[1]) >= sinceMs - 5) return (Date.parse(match[1]) - sinceMs) / 1000;
    }
    return undefined;
  }

  /** Waits until `master` is MASTER, the other node BACKUP, the VIP on `master` alone and every route (or the Elastic IP) on it. */
  async settle(master: NodeRole, timeoutMs = 15_000): Promise<void> {
    const backup = this.peer(master);
    await waitFor(`node ${master.toUpperCase()} MASTER and settled`, timeoutMs, async () =>
      this.state(master) === 'MASTER' && this.state(backup) === 'BACKUP' && this.vipHolders().join() === master && (await this.movedTo(master)),
    100, () => this.describe());
  }

  /** States, VIP holders and the tails of the logs: what a failing assertion should print. */
  describe(): string {
    const lines = [`states: A=${this.state('a')} B=${this.state('b')}`];
    try {
      lines.push(`VIP on eth0 of: ${this.vipHolders().join(', ') || 'none'}`);
    } catch {
      // the namespaces may be gone
    }
    for (const role of ROLES) lines.push(`--- notify log ${role.toUpperCase()} (tail)`, ...this.notifyLog(role).trimEnd().split('\n').slice(-12));
    for (const file of existsSync(this.dir) ? readdirSync(this.dir).filter((f) => f.endsWith('.log')) : []) {
      lines.push(`--- ${file} (tail)`, ...tail(join(this.dir, file), file.startsWith('keepalived') ? 12 : 4));
    }
    return lines.join('\n');
  }

  private nsOk(role: NodeRole, argv: string[]): boolean {
    return spawnSync('ip', ['netns', 'exec', this.nodes[role].ns, ...argv], { timeout: 5000 }).status === 0;
  }

  // --- teardown --------------------------------------------------------------------------------------------

  /** Kills every process in the rig's namespaces, deletes them (their links go with them) and the temp files. */
  destroy(): void {
    liveRigs.delete(this);
    this.relay?.close();
    for (const socket of this.relayed) socket.destroy();
    this.pool.clear();
    for (const child of this.children.values()) {
      if (child.pid !== undefined) killQuietly(-child.pid, 'SIGKILL');
    }
    this.children.clear();
    for (const ns of [this.nodes.a.ns, this.nodes.b.ns, this.awsNs]) removeNamespace(ns);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// --- helpers -----------------------------------------------------------------------------------------------

function run(argv: string[]): string {
  const result = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 15_000 });
  if (result.status !== 0) throw new Error(`${argv.join(' ')} failed (${result.status}): ${(result.stderr || result.error?.message || '').trim()}`);
  return result.stdout;
}

export async function waitFor(what: string, timeoutMs: number, check: () => boolean | Promise<boolean>, everyMs = 100, context?: () => string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${context ? `\n${context()}` : ''}`);
    await sleep(everyMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `ExecStart=/usr/sbin/ip address replace …` → argv (the generated units use plain words, no quoting). */
function unitCommand(unit: string, key: string): string[] {
  const line = new RegExp(`^${key}=(.+)$`, 'm').exec(unit)?.[1];
  if (!line) throw new Error(`the unit has no ${key}:\n${unit}`);
  return line.trim().split(/\s+/);
}

function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function tail(path: string, count: number): string[] {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-count);
  } catch {
    return [];
  }
}

/** A 10.213.x.0/24 no address or route of this host's own namespace uses. */
function freeNet(): string {
  const used = run(['ip', '-4', 'route', 'show', 'table', 'all']) + run(['ip', '-4', 'addr']);
  for (let i = 0; i < 250; i++) {
    const net = `10.213.${(process.pid + i) % 250}`;
    if (!used.includes(`${net}.`)) return net;
  }
  throw new Error('no free 10.213.x.0/24');
}

function namespacePids(ns: string): number[] {
  const result = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.split(/\s+/).filter(Boolean).map(Number) : [];
}

function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** Synchronous, so it also runs from a signal handler: kill what lives in the namespace, wait briefly, delete it. */
function removeNamespace(ns: string): void {
  if (!existsSync(`/run/netns/${ns}`)) return;
  for (let round = 0; round < 50; round++) {
    const pids = namespacePids(ns);
    if (pids.length === 0) break;
    for (const pid of pids) killQuietly(pid, 'SIGKILL');
    spawnSync('sleep', ['0.1']);
  }
  spawnSync('ip', ['netns', 'del', ns]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Namespaces and temp dirs of an earlier run whose process is gone (it crashed or was killed). */
function cleanLeftovers(): void {
  const listed = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  for (const ns of listed.split('\n').map((line) => line.split(' ')[0])) {
    const pid = /^awsops-(\d+)-/.exec(ns)?.[1];
    if (pid && Number(pid) !== process.pid && !alive(Number(pid))) removeNamespace(ns);
  }
  for (const entry of readdirSync(tmpdir())) {
    const pid = /^awsops-ha-(\d+)-\d+$/.exec(entry)?.[1];
    if (pid && Number(pid) !== process.pid && !alive(Number(pid))) rmSync(join(tmpdir(), entry), { recursive: true, force: true });
  }
}

let signalsHooked = false;
function installSignalCleanup(): void {
  if (signalsHooked) return;
  signalsHooked = true;
  const destroyAll = () => [...liveRigs].forEach((rig) => rig.destroy());
  process.once('exit', destroyAll);
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      destroyAll();
      process.exit(code);
    });
  }
}
