import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  CreateNetworkInterfaceCommand,
  DescribeAddressesCommand,
  CreateRouteCommand,
  DescribeRouteTablesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { renderNotifyScript, renderPairConf, type PairConf } from '../../../../src/core/provision/notifyScript';
import { createRouteTable, createSubnet, createVpc } from '../../../support/ec2Seed';
import { motoPool } from '../../../support/moto';
import { makeSandbox, type Sandbox } from '../../../support/provisionSandbox';
import { useMoto } from '../../../support/useMoto';

const REGION = 'eu-west-1';
const VIP = '192.168.77.10';

interface World {
  eniA: string;
  eniB: string;
  tables: string[];
}

describe('awsops-notify (the generated route mover) against moto', () => {
  const moto = useMoto();
  const pool = motoPool();
  let ec2: EC2Client;
  let box: Sandbox;

  before(() => {
    ec2 = pool.get({ region: REGION, endpointUrl: moto.url }).client('ec2');
  });
  after(() => pool.clear());
  beforeEach(() => {
    box?.remove();
    box = makeSandbox('awsops-notify');
  });
  after(() => box?.remove());

  /** Three tables: two route the VIP to node B, one has no VIP route yet. */
  async function seed(): Promise<World> {
    const vpcId = await createVpc(ec2, '10.30.0.0/16');
    const subnet = (cidr: string, az: string) => createSubnet(ec2, vpcId, cidr, az);
    const eni = async (subnetId: string) =>
      (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId }))).NetworkInterface?.NetworkInterfaceId as string;
    const eniA = await eni(await subnet('10.30.1.0/24', `${REGION}a`));
    const eniB = await eni(await subnet('10.30.2.0/24', `${REGION}b`));
    const tables: string[] = [];
    for (let i = 0; i < 3; i++) {
      tables.push(await createRouteTable(ec2, vpcId));
    }
    for (const table of tables.slice(0, 2)) {
      await ec2.send(new CreateRouteCommand({ RouteTableId: table, DestinationCidrBlock: `${VIP}/32`, NetworkInterfaceId: eniB }));
    }
    return { eniA, eniB, tables };
  }

  /** Installs the script and its settings for node A, as the user data would (moto also serves IMDS paths). */
  function install(world: World, overrides: Partial<PairConf> = {}): string {
    const logFile = `${box.root}/notify.log`;
    const conf: PairConf = {
      pairName: 'web',
      vip: VIP,
      routeTableIds: world.tables,
      region: REGION,
      eniId: world.eniA,
      endpointUrl: moto.url,
      imdsUrl: moto.url,
      logFile,
      ...overrides,
    };
    box.write([
      { path: box.paths.pairConf, mode: '0644', content: renderPairConf(conf, box.paths) },
      { path: box.paths.notifyScript, mode: '0755', content: renderNotifyScript('web', box.paths) },
    ]);
    return logFile;
  }

  /** Runs the script the way keepalived does: no PATH, no inherited environment. */
  function run(...args: string[]): { status: number | null; ms: number; stderr: string } {
    const started = performance.now();
    const result = spawnSync(box.paths.notifyScript, args, { env: {}, encoding: 'utf8', timeout: 30_000 });
    return { status: result.status, ms: performance.now() - started, stderr: result.stderr };
  }

  async function targets(tables: string[]): Promise<Record<string, string>> {
    const result = await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: tables }));
    return Object.fromEntries(
      (result.RouteTables ?? []).map((t) => [
        t.RouteTableId,
        t.Routes?.find((r) => r.DestinationCidrBlock === `${VIP}/32`)?.NetworkInterfaceId ?? 'none',
      ]),
    );
  }

  it('master: moves every table to this node in parallel, creates the missing route, reads each back and logs it', async () => {
    const world = await seed();
    const logFile = install(world);
    const result = run('master');
    assert.equal(result.status, 0, result.stderr + readFileSync(logFile, 'utf8'));
    assert.deepEqual(await targets(world.tables), Object.fromEntries(world.tables.map((t) => [t, world.eniA])));
    const log = readFileSync(logFile, 'utf8');
    for (const table of world.tables.slice(0, 2)) assert.match(log, new RegExp(`${table}: ${VIP}/32 -> ${world.eniA} \\(this node\\), replaced in \\d+ ms`));
    assert.match(log, new RegExp(`${world.tables[2]}: ${VIP}/32 -> ${world.eniA} \\(this node\\), created in \\d+ ms`));
    assert.match(log, /3\/3 route tables on this node/);
    console.log(`    master run, 3 tables, against moto: ${result.ms.toFixed(0)} ms`);
  });

  it('master: exits 1 and names the table it could not move, while moving the others', async () => {
    const world = await seed();
    const missing = 'rtb-0000000000000dead';
    const logFile = install(world, { routeTableIds: [...world.tables, missing] });
    const result = run('master');
    assert.equal(result.status, 1);
    assert.deepEqual(await targets(world.tables), Object.fromEntries(world.tables.map((t) => [t, world.eniA])));
    const log = readFileSync(logFile, 'utf8');
    assert.match(log, new RegExp(`${missing}: FAILED.*InvalidRouteTableID\\.NotFound`));
    assert.match(log, /3\/4 route tables on this node/);
  });

  /** An Elastic IP associated with the peer's (node B's) ENI, as after the peer was MASTER. */
  async function eipOnPeer(world: World): Promise<string> {
    const allocationId = (await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }))).AllocationId as string;
    await ec2.send(new AssociateAddressCommand({ AllocationId: allocationId, NetworkInterfaceId: world.eniB }));
    return allocationId;
  }
  const eipEni = async (allocationId: string) => (await ec2.send(new DescribeAddressesCommand({ AllocationIds: [allocationId] }))).Addresses?.[0]?.NetworkInterfaceId;

  it('master, public pair: associates the Elastic IP with this node beside the routes, reads it back and logs it', async () => {
    const world = await seed();
    const allocationId = await eipOnPeer(world);
    const logFile = install(world, { allocationId });
    const result = run('master');
    assert.equal(result.status, 0, result.stderr + readFileSync(logFile, 'utf8'));
    assert.equal(await eipEni(allocationId), world.eniA);
    assert.deepEqual(await targets(world.tables), Object.fromEntries(world.tables.map((t) => [t, world.eniA])));
    const log = readFileSync(logFile, 'utf8');
    assert.match(log, new RegExp(`Elastic IP ${allocationId} -> ${world.eniA} \\(this node\\), associated in \\d+ ms`));
    assert.match(log, /3\/3 route tables on this node \(eni-[0-9a-f]+\), Elastic IP on this node/);
  });

  it('master, public pair without route VIPs: moves the Elastic IP alone; exits 1 naming the error when it cannot', async () => {
    const world = await seed();
    const allocationId = await eipOnPeer(world);
    let logFile = install(world, { routeTableIds: [], vip: '', allocationId });
    assert.equal(run('master').status, 0, readFileSync(logFile, 'utf8'));
    assert.equal(await eipEni(allocationId), world.eniA);
    logFile = install(world, { routeTableIds: [], vip: '', allocationId: 'eipalloc-0000000000000dead' });
    assert.equal(run('master').status, 1);
    assert.match(readFileSync(logFile, 'utf8'), /Elastic IP eipalloc-0000000000000dead: FAILED.*\(HTTP [45]\d\d\)/);
    assert.match(readFileSync(logFile, 'utf8'), /0\/0 route tables on this node \(eni-[0-9a-f]+\), Elastic IP NOT on this node/);
  });

  it('keep: acts only while keepalived is running and MASTER, and then moves only the stray tables', async () => {
    const world = await seed();
    const logFile = install(world);
    const before = await targets(world.tables);

    assert.equal(run('keep').status, 0, 'no state recorded yet: not master');
    mkdirSync(dirname(box.paths.keepalivedPidFile), { recursive: true });
    writeFileSync(box.paths.keepalivedPidFile, `${process.pid}\n`);
    assert.equal(run('state', 'INSTANCE', 'VI_web', 'BACKUP', '100').status, 0);
    assert.equal(readFileSync(box.paths.stateFile, 'utf8'), 'BACKUP\n');
    assert.equal(run('keep').status, 0);
    assert.deepEqual(await targets(world.tables), before, 'a BACKUP node leaves the routes alone');

    assert.equal(run('state', 'INSTANCE', 'VI_web', 'MASTER', '150').status, 0);
    writeFileSync(box.paths.keepalivedPidFile, '999999\n');
    const past = new Date(Date.now() - 60_000);
    utimesSync(box.paths.keepalivedPidFile, past, past);
    assert.equal(run('keep').status, 0);
    assert.deepEqual(await targets(world.tables), before, 'a MASTER state left by a dead keepalived moves nothing');

    writeFileSync(box.paths.keepalivedPidFile, `${process.pid}\n`);
    utimesSync(box.paths.keepalivedPidFile, past, past);
    const result = run('keep');
    assert.equal(result.status, 0, result.stderr + readFileSync(logFile, 'utf8'));
    assert.deepEqual(await targets(world.tables), Object.fromEntries(world.tables.map((t) => [t, world.eniA])));
    const log = readFileSync(logFile, 'utf8');
    assert.match(log, /keepalived VI_web is now MASTER \(priority 150\)/);
    assert.match(log, new RegExp(`${world.tables[0]}: ${VIP}/32 is on ${world.eniB}/- \\(active\\), not on this node: moving it`));
    assert.match(log, new RegExp(`${world.tables[2]}: ${VIP}/32 is on -/- \\(missing\\), not on this node: moving it`));

    const quiet = readFileSync(logFile, 'utf8').length;
    assert.equal(run('keep').status, 0);
    assert.equal(readFileSync(logFile, 'utf8').length, quiet, 'nothing to fix: nothing logged');
  });

  it('keep, public pair: the MASTER takes back an Elastic IP found elsewhere; node B leaves it on a peer it cannot reach', async (t) => {
    const world = await seed();
    const allocationId = await eipOnPeer(world);
    mkdirSync(dirname(box.paths.keepalivedPidFile), { recursive: true });
    writeFileSync(box.paths.keepalivedPidFile, `${process.pid}\n`);
    const past = new Date(Date.now() - 60_000);
    utimesSync(box.paths.keepalivedPidFile, past, past);
    // A partition as curl sees it: the peer's health check connects and never answers (the kernel accepts the
    // connection into the backlog even while spawnSync blocks this process).
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    t.after(() => silent.close());
    const unreachable = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/health`;
    let logFile = install(world, { routeTableIds: [], vip: '', allocationId, peerEniId: world.eniB, peerHealthUrl: unreachable, partitionYield: true });
    assert.equal(run('state', 'INSTANCE', 'VI_web', 'MASTER', '100').status, 0);
    assert.equal(run('keep').status, 0, readFileSync(logFile, 'utf8'));
    assert.equal(await eipEni(allocationId), world.eniB, 'node B yields in a partition');
    assert.match(readFileSync(logFile, 'utf8'), new RegExp(`Elastic IP ${allocationId} is on the peer \\(${world.eniB}\\), unreachable \\(partition\\?\\); this node yields`));

    // Node A's settings: it holds everything in a partition, so it takes the Elastic IP back and reads it back.
    logFile = install(world, { routeTableIds: [], vip: '', allocationId, peerEniId: world.eniB, peerHealthUrl: unreachable });
    assert.equal(run('keep').status, 0, readFileSync(logFile, 'utf8'));
    assert.equal(await eipEni(allocationId), world.eniA);
    const log = readFileSync(logFile, 'utf8');
    assert.match(log, new RegExp(`Elastic IP ${allocationId} is on ${world.eniB}, not on this node: moving it`));
    assert.match(log, new RegExp(`Elastic IP ${allocationId} -> ${world.eniA} \\(this node\\), associated in \\d+ ms`));
    const quiet = log.length;
    assert.equal(run('keep').status, 0);
    assert.equal(readFileSync(logFile, 'utf8').length, quiet, 'nothing to fix: nothing logged');
  });

  it('takes over with the identity cached root-only by an earlier run: no instance-metadata round trip before the first route call', async () => {
    const world = await seed();
    const logFile = install(world);
    assert.equal(run('keep').status, 0, 'a BACKUP node only refreshes the cached identity');
    const cache = `${dirname(box.paths.stateFile)}/identity`;
    assert.equal(statSync(cache).mode & 0o777, 0o600, 'the cached credentials are readable by root alone');
    assert.match(readFileSync(cache, 'utf8'), /^C_INSTANCE_ID=\S* C_ENI_ID=\S* C_REGION=\S* C_AK=\S+ C_SK=\S+ C_ST=\S* C_EXPIRES=\d+$/m);
    // Instance metadata gone: the takeover still signs its calls, with the cached credentials.
    install(world, { imdsUrl: 'http://127.0.0.1:9' });
    const result = run('master');
    assert.equal(result.status, 0, result.stderr + readFileSync(logFile, 'utf8'));
    assert.deepEqual(await targets(world.tables), Object.fromEntries(world.tables.map((t) => [t, world.eniA])));
    assert.doesNotMatch(readFileSync(logFile, 'utf8'), /instance metadata/);
  });

  it('drops cached credentials EC2 rejects and moves again with a fresh read from instance metadata', async (t) => {
    const world = await seed();
    install(world);
    assert.equal(run('keep').status, 0);
    const cache = `${dirname(box.paths.stateFile)}/identity`;
    writeFileSync(cache, readFileSync(cache, 'utf8').replace(/C_AK=\S+/, 'C_AK=AKIAREVOKED0000000000'), { mode: 0o600 });
    // An EC2 stand-in that rejects every request: both runs fail, and the second one is signed with fresh credentials.
    const seenKeys: string[] = [];
    const ec2Stub = createHttpServer((req, res) => {
      seenKeys.push(/Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '-');
      res.writeHead(401, { 'content-type': 'text/xml' }).end('<Response><Errors><Error><Code>AuthFailure</Code><Message>no</Message></Error></Errors></Response>');
    });
    await new Promise<void>((resolve) => ec2Stub.listen(0, '127.0.0.1', resolve));
    t.after(() => ec2Stub.close());
    const logFile = install(world, { routeTableIds: [world.tables[0]], endpointUrl: `http://127.0.0.1:${(ec2Stub.address() as AddressInfo).port}` });
    const child = spawn(box.paths.notifyScript, ['master'], { env: {} });
    const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(status, 1);
    const log = readFileSync(logFile, 'utf8');
    assert.match(log, /the cached credentials were rejected: moving again with credentials read from instance metadata/);
    assert.equal(seenKeys[0], 'AKIAREVOKED0000000000');
    assert.ok(seenKeys.some((key) => key !== 'AKIAREVOKED0000000000' && key !== '-'), `a second run with fresh credentials: ${seenKeys.join(', ')}`);
    assert.equal(existsSync(cache), false, 'rejected again: the cache is dropped again');
  });

  it('says why and exits 1 when instance metadata does not answer', async () => {
    const world = await seed();
    const logFile = install(world, { imdsUrl: 'http://127.0.0.1:9' });
    const result = run('master');
    assert.equal(result.status, 1);
    assert.match(readFileSync(logFile, 'utf8'), /instance metadata at http:\/\/127\.0\.0\.1:9 did not answer/);
    if (!existsSync('/dev/log')) assert.match(result.stderr, /awsops-notify: instance metadata/, 'without a syslog socket the log goes to stderr');
  });

  it('rejects bad usage and missing settings with status 2', async () => {
    const world = await seed();
    install(world, { routeTableIds: [] });
    assert.equal(run('bogus').status, 2);
    assert.equal(run('state', 'only-two').status, 2);
    assert.equal(run('master').status, 2);
    assert.ok(!existsSync(box.paths.stateFile));
  });
});
