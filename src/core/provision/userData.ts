/**
 * cloud-init user data for one node: installs haproxy and keepalived, writes every generated file, puts the VIP on
 * lo and starts the services. Values only known at deploy time (IPs, ENI, region) arrive as opaque strings the
 * template later swaps for CloudFormation references.
 */
import { gzipSync } from 'node:zlib';
import { renderHaproxyCfg } from './haproxy';
import type { PairSpec } from './inputs';
import { renderKeepalivedConf, type NodeRole } from './keepalived';
import { DEFAULT_NODE_PATHS, DEFAULT_STATS_PORT, HEALTH_PATH, type NodePaths } from './nodePaths';
import { renderNotifyScript, renderPairConf, type PairConf } from './notifyScript';
import { HAPROXY_WATCH_SERVICE, renderHaproxyWatchUnit } from './haproxyWatch';
import { renderRouteKeeperUnits, ROUTE_KEEPER_TIMER, type SystemdUnit } from './routeKeeper';

export interface NodeUserDataInput {
  spec: Pick<PairSpec, 'name' | 'vip' | 'routeTableIds' | 'listeners' | 'preempt'>;
  node: NodeRole;
  selfIp: string;
  peerIp: string;
  region: string;
  eniId: string;
  /** The other node's ENI: the route keeper leaves a VIP route there while the peer's haproxy answers. */
  peerEniId?: string;
  /** A public pair's Elastic IP allocation id (or its deploy-time value): MASTER associates it with this node. */
  allocationId?: string;
  /** The stack and this node's logical id, for the readiness signal (CreationPolicy); absent: no signal. */
  signal?: Pick<PairConf, 'stackName' | 'signalResource'>;
  /** Optional pair.conf settings: an EC2 or CloudFormation endpoint (e.g. a VPC interface endpoint), another IMDS address, a log file. */
  settings?: Pick<PairConf, 'endpointUrl' | 'cfnEndpointUrl' | 'imdsUrl' | 'logFile'>;
  paths?: NodePaths;
}

export interface NodeFile {
  path: string;
  mode: '0644' | '0755';
  content: string;
}

/** The VRRP device name differs by hypervisor (ens5, enX0...): keepalived.conf names it by this marker until boot. */
export const PRIMARY_INTERFACE_MARKER = '@PRIMARY_INTERFACE@';
export const VIP_UNIT = 'awsops-vip.service';

/** Every file a node needs, with the modes keepalived's script security demands (root-owned). */
/** `compact`: the notify script loses its header comments too, pair.conf all of its own (only when nothing else fits EC2's 16 KB). */
export function nodeFiles(input: NodeUserDataInput, compact = false): NodeFile[] {
  const paths = input.paths ?? DEFAULT_NODE_PATHS;
  const { spec, node } = input;
  const keeper = renderRouteKeeperUnits({ pairName: spec.name, paths });
  const tablesApart = spec.routeTableIds.length > MAX_ROUTE_TABLE_ARNS;
  const units: SystemdUnit[] = [vipUnit(spec.name, spec.vip, paths), renderHaproxyWatchUnit(spec.name, paths), keeper.service, keeper.timer];
  return [
    {
      path: paths.pairConf,
      mode: '0644',
      content: (compact ? withoutComments : (text: string) => text)(renderPairConf(
        {
          ...input.settings,
          ...input.signal,
          healthUrl: `http://127.0.0.1:${DEFAULT_STATS_PORT}${HEALTH_PATH}`,
          pairName: spec.name,
          vip: spec.vip,
          routeTableIds: spec.routeTableIds,
          ...(tablesApart ? { routeTablesFile: paths.routeTablesFile } : {}),
          region: input.region,
          eniId: input.eniId,
          peerEniId: input.peerEniId,
          peerHealthUrl: `http://${input.peerIp}:${DEFAULT_STATS_PORT}${HEALTH_PATH}`,
          partitionYield: node === 'b',
          allocationId: input.allocationId,
        },
        paths,
      )),
    },
    ...(tablesApart ? [{ path: paths.routeTablesFile, mode: '0644' as const, content: spec.routeTableIds.join('\n') + '\n' }] : []),
    { path: paths.notifyScript, mode: '0755', content: (compact ? withoutComments : withoutBodyComments)(renderNotifyScript(spec.name, paths)) },
    {
      path: paths.keepalivedConf,
      mode: '0644',
      content: renderKeepalivedConf({
        pairName: spec.name,
        node,
        selfIp: input.selfIp,
        peerIp: input.peerIp,
        vip: spec.vip,
        interface: PRIMARY_INTERFACE_MARKER,
        preempt: spec.preempt,
        paths,
      }),
    },
    { path: paths.haproxyCfg, mode: '0644', content: renderHaproxyCfg({ pairName: spec.name, node, listeners: spec.listeners, paths }) },
    ...units.map((unit): NodeFile => ({ path: `${paths.systemdDir}/${unit.name}`, mode: '0644', content: unit.content })),
  ];
}

export function renderUserData(input: NodeUserDataInput): string {
  const files = nodeFiles(input);
  const plain = cloudConfig(input, files.map((file) => ({ file, gzip: false })));
  if (filledBytes(plain) <= USER_DATA_LIMIT) return plain;
  // Too big for EC2: gzip the files that hold no deploy-time values (the script, a long haproxy.cfg), where that
  // makes them smaller (a short unit grows in gzip + base64).
  const gzipped = (all: NodeFile[]) =>
    cloudConfig(input, all.map((file) => ({ file, gzip: !new RegExp(DEPLOY_TIME_VALUES).test(file.content) && packedLength(file) < file.content.length })));
  const packed = gzipped(files);
  // Still too big (hundreds of route tables): the installed script drops its header comments as well.
  return filledBytes(packed) <= USER_DATA_LIMIT ? packed : gzipped(nodeFiles(input, true));
}

function packedLength(file: NodeFile): number {
  return gzipSync(file.content, { level: 9 }).toString('base64').length;
}

function cloudConfig(input: NodeUserDataInput, files: Array<{ file: NodeFile; gzip: boolean }>): string {
  const paths = input.paths ?? DEFAULT_NODE_PATHS;
  // write_files runs before the packages install; their RPMs keep an existing config (%config(noreplace)). Every
  // file is root:root, cloud-init's default owner (keepalived runs only root-owned scripts): no line spent on it.
  const entries = files.flatMap(({ file, gzip }) => [
    `  - path: ${file.path}`,
    `    permissions: '${file.mode}'`,
    ...(gzip
      ? ['    encoding: gz+b64', `    content: ${gzipSync(file.content, { level: 9 }).toString('base64')}`]
      : ['    content: |', ...file.content.replace(/\n$/, '').split('\n').map((line) => (line ? `      ${line}` : ''))]),
  ]);
  const fillInterface =
    `iface=$(${paths.bin.ip} -o -4 route show default | awk '{print $5; exit}') && ` +
    `sed -i "s/${PRIMARY_INTERFACE_MARKER}/$iface/" ${paths.keepalivedConf}`;
  return [
    '#cloud-config',
    `# HA pair "${input.spec.name}", node ${input.node.toUpperCase()}. Generated by AWS Ops.`,
    'packages:',
    '  - haproxy',
    '  - keepalived',
    '  - iptables-nft',
    'write_files:',
    ...entries,
    'runcmd:',
    `  - ${JSON.stringify(fillInterface)}`,
    // Before haproxy starts: a compromised haproxy must not reach the role's credentials (and so move routes).
    `  - ${JSON.stringify(IMDS_GUARD)}`,
    '  - systemctl daemon-reload',
    `  - systemctl enable --now ${VIP_UNIT} haproxy.service ${HAPROXY_WATCH_SERVICE} keepalived.service ${ROUTE_KEEPER_TIMER}`,
    // Last: CloudFormation's CreationPolicy waits for this node to prove it serves (or fail with the reason).
    `  - ${paths.notifyScript} ready`,
  ].join('\n') + '\n';
}

/** Up to this many route tables, pair.conf and the role name each one; beyond, a file of their own and a VPC-wide condition. */
export const MAX_ROUTE_TABLE_ARNS = 20;

/**
 * The script as installed keeps its header (usage, settings, exit codes) but not the comment lines of its body:
 * ~1.4 KB of EC2's 16 KB of user data, room that 300 route table ids need. The generator's source keeps them.
 */
function withoutBodyComments(script: string): string {
  const lines = script.split('\n');
  const bodyStart = lines.findIndex((line) => !line.startsWith('#'));
  return [...lines.slice(0, bodyStart), ...lines.slice(bodyStart).filter((line) => !/^\s*#/.test(line))].join('\n');
}

/** The script without any comment line but its shebang. */
function withoutComments(script: string): string {
  return script.split('\n').filter((line, i) => i === 0 || !/^\s*#/.test(line)).join('\n');
}

/** The haproxy user may not talk to instance metadata (IPv4 and the IPv6 address of Nitro instances). */
export const IMDS_GUARD =
  'iptables -w -I OUTPUT -d 169.254.169.254 -m owner --uid-owner haproxy -j REJECT && ' +
  'ip6tables -w -I OUTPUT -d fd00:ec2::254 -m owner --uid-owner haproxy -j REJECT';

/** EC2 accepts at most 16 KB of user data (before base64). */
export const USER_DATA_LIMIT = 16_384;

/** A value only CloudFormation knows (an IP, the ENI id, the region), carried through the generators as a marker. */
export function deployTimeValue(reference: string): string {
  return `@@{${reference}}`;
}

export const DEPLOY_TIME_VALUES = /@@\{([A-Za-z0-9:.]+)\}/g;

/** The size of `text` once CloudFormation has filled in the longest possible deploy-time values. */
export function filledBytes(text: string): number {
  return Buffer.byteLength(text.replace(new RegExp(DEPLOY_TIME_VALUES), (_, reference: string) => longestValue(reference)));
}

function longestValue(reference: string): string {
  if (reference === 'AWS::Region') return 'ap-southeast-99';
  if (reference === 'AWS::StackName') return 'x'.repeat(128);
  if (reference.endsWith('.AllocationId')) return 'eipalloc-0123456789abcdef0';
  return reference.endsWith('.PrimaryPrivateIpAddress') ? '255.255.255.255' : 'eni-0123456789abcdef0';
}

/** The VIP on lo of both nodes: whichever node the routes reach answers, even mid-failover or when a move failed. */
function vipUnit(pairName: string, vip: string, paths: NodePaths): SystemdUnit {
  const content = [
    '[Unit]',
    `Description=VIP ${vip} of HA pair ${pairName} on lo`,
    'Before=haproxy.service keepalived.service',
    '',
    '[Service]',
    'Type=oneshot',
    'RemainAfterExit=yes',
    `ExecStart=${paths.bin.ip} address replace ${vip}/32 dev lo`,
    `ExecStop=${paths.bin.ip} address del ${vip}/32 dev lo`,
    '',
    '[Install]',
    'WantedBy=multi-user.target',
  ];
  return { name: VIP_UNIT, content: content.join('\n') + '\n' };
}
