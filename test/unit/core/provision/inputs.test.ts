import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatListener,
  parseListener,
  pairNameProblem,
  publicVipProblem,
  stackNameFor,
  validatePairSpec,
  type PairSpec,
  type VpcFacts,
} from '../../../../src/core/provision/inputs';

const facts: VpcFacts = {
  vpcId: 'vpc-1',
  cidrs: ['10.0.0.0/16', '10.1.0.0/16'],
  subnets: {
    'subnet-a': { availabilityZone: 'eu-west-1a', vpcId: 'vpc-1' },
    'subnet-a2': { availabilityZone: 'eu-west-1a', vpcId: 'vpc-1' },
    'subnet-b': { availabilityZone: 'eu-west-1b', vpcId: 'vpc-1' },
  },
  routeTables: [
    { routeTableId: 'rtb-main', isMain: true, routes: [{ destination: '10.0.0.0/16', target: 'local' }, { destination: '0.0.0.0/0', target: 'igw-1' }] },
    { routeTableId: 'rtb-2', isMain: false, routes: [{ destination: '172.16.0.0/12', target: 'tgw-1' }, { destination: '192.168.9.9/32', target: 'eni-other' }] },
  ],
};

const good: PairSpec = {
  name: 'web-eu1',
  vpcId: 'vpc-1',
  subnetIds: ['subnet-a', 'subnet-b'],
  vip: '192.168.55.100',
  routeTableIds: ['rtb-main', 'rtb-2'],
  instanceType: 't3.small',
  imageId: 'ami-0123456789abcdef0',
  listeners: [{ port: 443, mode: 'tcp', servers: [{ host: '10.0.1.5', port: 8443 }] }],
  clientCidr: '10.0.0.0/8',
  preempt: false,
};

const problems = (overrides: Partial<PairSpec>) => validatePairSpec({ ...good, ...overrides }, facts);
const only = (overrides: Partial<PairSpec>) => {
  const found = problems(overrides);
  assert.equal(found.length, 1, JSON.stringify(found));
  return found[0];
};

describe('pair spec validation', () => {
  it('accepts a good spec', () => {
    assert.deepEqual(problems({}), []);
    assert.equal(stackNameFor('web-eu1'), 'awsops-pair-web-eu1');
  });

  it('names fit CloudFormation stack names and say what to change', () => {
    assert.equal(pairNameProblem(''), 'Enter a pair name, e.g. web-eu1.');
    assert.equal(pairNameProblem('Web_1'), 'A pair name uses lowercase letters, digits and hyphens only; remove "W", "_".');
    assert.equal(pairNameProblem('1web'), 'A pair name starts with a letter (CloudFormation stack names must).');
    assert.equal(pairNameProblem('web-'), 'A pair name does not end with a hyphen.');
    assert.equal(pairNameProblem('web--1'), 'A pair name has no two hyphens in a row.');
    assert.equal(pairNameProblem('a'.repeat(33)), 'A pair name has at most 32 characters (this one has 33).');
    assert.equal(pairNameProblem('a'.repeat(32)), undefined);
    assert.equal(pairNameProblem('w'), undefined);
  });

  it('needs two subnets in different Availability Zones', () => {
    assert.deepEqual(only({ subnetIds: ['subnet-a', 'subnet-a2'] }), {
      field: 'subnetIds',
      message: 'Subnets subnet-a and subnet-a2 are both in eu-west-1a: pick subnets in two different Availability Zones, so one AZ outage cannot take both nodes.',
    });
    assert.equal(only({ subnetIds: ['subnet-a', 'subnet-a'] }).message, 'Both nodes are in subnet-a: pick two subnets in different Availability Zones.');
    assert.equal(only({ subnetIds: ['subnet-a', 'subnet-x'] }).message, 'Subnet subnet-x was not found in vpc-1.');
  });

  it('needs a VIP outside every VPC CIDR, not reserved, not routed already', () => {
    assert.equal(
      only({ vip: '10.1.2.3' }).message,
      '10.1.2.3 is inside the VPC CIDR 10.1.0.0/16: a VPC never routes its own addresses to an instance, so the VIP must lie outside every VPC CIDR (e.g. an unused 192.168.x.y).',
    );
    assert.equal(only({ vip: '192.168.9.9' }).message, '192.168.9.9 is already in use: route table rtb-2 sends 192.168.9.9/32 to eni-other. Pick an unused address.');
    assert.equal(
      only({ vip: '172.20.0.1' }).message,
      '172.20.0.1 is already routed in this VPC: route table rtb-2 sends 172.16.0.0/12 to tgw-1, and a /32 for the VIP would take that address away from it. Pick an address no route covers.',
    );
    assert.equal(only({ vip: '169.254.10.1' }).message, '169.254.10.1 is link-local; EC2 uses this range for instance metadata, DNS and time: pick another VIP.');
    assert.equal(only({ vip: '127.0.0.5' }).message, '127.0.0.5 is a loopback address: pick another VIP.');
    assert.equal(only({ vip: '192.168.55.100/32' }).message, '"192.168.55.100/32" is not an IPv4 address: enter the VIP as a plain address, e.g. 192.168.55.100.');
    assert.equal(only({ vip: '2001:db8::1' }).field, 'vip');
    // The default route covers everything and does not count as "in use".
    assert.deepEqual(problems({ vip: '203.0.113.7' }), []);
  });

  it('refuses a public VIP unless the address was typed again to confirm it', () => {
    const refused = only({ vip: '8.8.8.8' });
    assert.equal(refused.field, 'vip');
    assert.equal(
      refused.message,
      '8.8.8.8 is a public address: a /32 route to it sends everything in the VPC that talks to 8.8.8.8 to this pair instead, taking the address away from its owner for the whole VPC. Pick a private address (e.g. an unused 192.168.x.y or 100.64.x.y), or type 8.8.8.8 to confirm that you own it.',
    );
    assert.equal(only({ vip: '52.95.110.1', confirmedPublicVip: '52.95.110.11' }).field, 'vip', 'the confirmation names another address');
    assert.deepEqual(problems({ vip: '52.95.110.1', confirmedPublicVip: '52.95.110.1' }), []);
    for (const vip of ['100.64.7.7', '198.18.0.9', '192.0.2.44', '172.20.99.1']) assert.equal(publicVipProblem(vip), undefined, vip);
  });

  it('checks route tables, instance type, AMI, key pair and SSH', () => {
    assert.equal(only({ routeTableIds: [] }).message, 'Pick at least one route table to carry the VIP (usually every route table of the VPC).');
    assert.equal(only({ routeTableIds: ['rtb-main', 'rtb-other'] }).message, 'Route table rtb-other is not in vpc-1.');
    assert.equal(only({ routeTableIds: ['rtb-2', 'rtb-2'] }).message, 'A route table is listed twice.');
    assert.equal(only({ instanceType: 'small' }).message, '"small" is not an instance type: write it like t3.small or m7g.large.');
    assert.equal(only({ imageId: 'ami-xyz' }).message, '"ami-xyz" is not an AMI id (ami-0123456789abcdef0).');
    assert.equal(only({ sshCidr: '10.0.0.0/8' }).message, 'SSH access needs a key pair: pick one, or leave SSH closed (the nodes are reachable through SSM).');
    assert.deepEqual(problems({ keyName: 'ops', sshCidr: '10.0.0.0/8' }), []);
  });

  it('checks the client CIDR as a security group would', () => {
    assert.equal(only({ clientCidr: '10.0.0.1/8' }).message, 'The client CIDR 10.0.0.1/8 has host bits set: did you mean 10.0.0.0/8?');
    assert.equal(only({ clientCidr: '10.0.0.0' }).message, 'The client CIDR "10.0.0.0" is not an IPv4 CIDR: write e.g. 10.0.0.0/16.');
    assert.deepEqual(problems({ clientCidr: '0.0.0.0/0' }), [], 'the whole internet is allowed when typed on purpose');
  });

  it('checks listeners: ports, the stats port, servers, loops', () => {
    const listener = (port: number, host = '10.0.1.5', serverPort = 80) => ({ port, mode: 'http' as const, servers: [{ host, port: serverPort }] });
    assert.equal(only({ listeners: [listener(0)] }).message, 'Listen port 0 is not a port (1–65535).');
    assert.equal(only({ listeners: [listener(8404)] }).message, "Port 8404 is haproxy's health and stats port on the nodes: pick another listen port.");
    assert.equal(only({ listeners: [listener(80), listener(80)] }).message, 'Port 80 has two listeners: merge their servers into one.');
    assert.equal(only({ listeners: [{ port: 80, mode: 'tcp', servers: [] }] }).message, 'Port 80 has no backend server: add at least one host:port.');
    assert.equal(only({ listeners: [listener(80, 'bad host')] }).message, '"bad host" is neither an IPv4 address nor a DNS name.');
    assert.equal(only({ listeners: [listener(80, '10.0.300.1')] }).message, '"10.0.300.1" is neither an IPv4 address nor a DNS name.');
    assert.equal(only({ listeners: [listener(80, '192.168.55.100')] }).message, 'Backend 192.168.55.100 is the VIP itself: traffic would loop back to haproxy.');
    assert.equal(only({ listeners: [listener(80, '10.0.1.5', 70000)] }).message, 'Port of 10.0.1.5 70000 is not a port (1–65535).');
    assert.deepEqual(problems({ listeners: [] }), [], 'no listener: the minimal default');
  });

  it('reports every problem at once, in wizard order', () => {
    assert.deepEqual(
      problems({ name: 'X', vip: '10.0.0.1', clientCidr: 'any' }).map((p) => p.field),
      ['name', 'vip', 'clientCidr'],
    );
  });

  it('reads listeners typed in an input box', () => {
    assert.deepEqual(parseListener('80/http -> 10.0.1.10:8080, app.internal:8080'), {
      listener: { port: 80, mode: 'http', servers: [{ host: '10.0.1.10', port: 8080 }, { host: 'app.internal', port: 8080 }] },
    });
    assert.deepEqual(parseListener('5432 → db:5432'), { listener: { port: 5432, mode: 'tcp', servers: [{ host: 'db', port: 5432 }] } });
    assert.deepEqual(parseListener('80 -> 10.0.1.10'), { problem: 'Backend "10.0.1.10" has no port: write HOST:PORT.' });
    assert.ok('problem' in parseListener('http 80'));
    assert.deepEqual(parseListener('8404 -> a:1'), { problem: "Port 8404 is haproxy's health and stats port on the nodes: pick another listen port." });
    const parsed = parseListener('443/tcp -> a:1, b:2');
    assert.ok('listener' in parsed);
    assert.equal(formatListener(parsed.listener), '443/tcp -> a:1, b:2');
  });
});
