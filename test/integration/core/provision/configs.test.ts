import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { renderHaproxyCfg } from '../../../../src/core/provision/haproxy';
import type { PairSpec } from '../../../../src/core/provision/inputs';
import type { NodeRole } from '../../../../src/core/provision/keepalived';
import { buildPairTemplate, templateJson, templateYaml, userDataBytes } from '../../../../src/core/provision/template';
import { nodeFiles, renderUserData, USER_DATA_LIMIT, type NodeUserDataInput } from '../../../../src/core/provision/userData';
import { toYaml, type Json } from '../../../../src/core/provision/yaml';
import { makeSandbox, type Sandbox } from '../../../support/provisionSandbox';
import { SAMPLE_PAIR_SPEC } from '../../../support/samplePairSpec';

/** `cmd args...` → exit status and output; never throws, so a test can say what failed. */
function sh(cmd: string, args: string[], input?: string) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', input, timeout: 60_000 });
  return { status: result.status, out: `${result.stdout ?? ''}${result.stderr ?? ''}`, stdout: result.stdout ?? '' };
}

/** The Debian packages may still be installing (scripts/install-deps.sh or a provisioning apt run). */
async function waitForPackages(): Promise<void> {
  const log = '/tmp/apt-install.log';
  const deadline = Date.now() + 10 * 60_000;
  while (existsSync(log) && !readFileSync(log, 'utf8').trimEnd().endsWith('done') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  const which = sh('which', ['haproxy', 'keepalived', 'systemd-analyze']);
  assert.equal(which.status, 0, `haproxy, keepalived and systemd-analyze must be installed (scripts/install-deps.sh): ${which.out}`);
}

function parseYaml(text: string): unknown {
  const result = sh('python3', ['-c', 'import sys, yaml, json; print(json.dumps(yaml.safe_load(sys.stdin)))'], text);
  assert.equal(result.status, 0, result.out);
  return JSON.parse(result.stdout);
}

interface WriteFile {
  path: string;
  permissions: string;
  owner?: string;
  encoding?: string;
  content: string;
}

const base = SAMPLE_PAIR_SPEC;

/** Wizard inputs worth proving: the minimal default, mixed listeners with preempt, a long name, and a large config. */
const CASES: Record<string, PairSpec> = {
  'minimal default listener, nopreempt': base,
  'http + tcp listeners with DNS backends, preempt': {
    ...base,
    preempt: true,
    listeners: [
      { port: 80, mode: 'http', servers: [{ host: '10.0.1.10', port: 8080 }, { host: 'app-1.internal.example', port: 8080 }] },
      { port: 5432, mode: 'tcp', servers: [{ host: 'db.internal.example', port: 5432 }] },
    ],
  },
  'a 32-character name and one route table': { ...base, name: 'a-very-long-pair-name-of-32-char', routeTableIds: ['rtb-0a1b2c3d'] },
  'public pair, the stack allocates the Elastic IP': { ...base, elasticIp: {} },
  'public pair adopting an Elastic IP': { ...base, elasticIp: { allocationId: 'eipalloc-0a1b2c3d4e5f60718' } },
  'public only (no route table), adopting an Elastic IP': { ...base, routeTableIds: [], elasticIp: { allocationId: 'eipalloc-0a1b2c3d4e5f60718' } },
  '40 listeners (gzip-compressed user data)': {
    ...base,
    listeners: Array.from({ length: 40 }, (_, i) => ({ port: 10_000 + i, mode: 'tcp' as const, servers: [{ host: `10.0.3.${i + 1}`, port: 9000 }, { host: `10.0.4.${i + 1}`, port: 9000 }] })),
  },
};

describe('generated node configs, proven by the real binaries', () => {
  const boxes: Sandbox[] = [];
  before(waitForPackages);
  after(() => boxes.forEach((box) => box.remove()));

  for (const [label, spec] of Object.entries(CASES)) {
    for (const node of ['a', 'b'] as NodeRole[]) {
      it(`${label}: node ${node.toUpperCase()}`, () => {
        const box = makeSandbox('awsops-configs');
        boxes.push(box);
        const input: NodeUserDataInput = {
          spec,
          node,
          selfIp: node === 'a' ? '10.0.1.10' : '10.0.2.10',
          peerIp: node === 'a' ? '10.0.2.10' : '10.0.1.10',
          region: 'eu-west-1',
          eniId: 'eni-0a1b2c3d4e5f60718',
          paths: box.paths,
        };
        const userData = renderUserData(input);
        assert.ok(Buffer.byteLength(userData) <= USER_DATA_LIMIT, `${Buffer.byteLength(userData)} bytes of user data`);
        const cloud = parseYaml(userData) as { packages: string[]; write_files: WriteFile[]; runcmd: string[] };
        assert.deepEqual(cloud.packages, ['haproxy', 'keepalived', 'iptables-nft']);

        // What cloud-init would write is byte-for-byte what the generators produced.
        const expected = nodeFiles(input);
        assert.deepEqual(cloud.write_files.map((f) => f.path), expected.map((f) => f.path));
        box.write(
          cloud.write_files.map((f) => ({
            path: f.path,
            mode: f.permissions as '0644' | '0755',
            content: f.encoding === 'gz+b64' ? gunzipSync(Buffer.from(f.content, 'base64')).toString('utf8') : f.content,
          })),
        );
        for (const file of expected) {
          assert.equal(readFileSync(file.path, 'utf8'), file.content, file.path);
          assert.equal((statSync(file.path).mode & 0o777).toString(8), file.mode.slice(1), `${file.path} mode`);
        }
        // cloud-init writes files root:root unless told otherwise: nothing may tell it otherwise.
        assert.ok(cloud.write_files.every((f) => f.owner === undefined));
        assert.equal((statSync(box.paths.notifyScript).mode & 0o022), 0, 'keepalived refuses group/world-writable scripts');

        // The boot step that names the VRRP interface, run for real.
        const fill = sh('bash', ['-c', cloud.runcmd[0]]);
        assert.equal(fill.status, 0, fill.out);
        const keepalivedConf = readFileSync(box.paths.keepalivedConf, 'utf8');
        assert.doesNotMatch(keepalivedConf, /@PRIMARY_INTERFACE@/);

        const keepalived = sh('keepalived', ['-t', '-f', box.paths.keepalivedConf]);
        assert.equal(keepalived.status, 0, `keepalived -t:\n${keepalived.out}\n${keepalivedConf}`);
        const haproxy = sh('haproxy', ['-c', '-f', box.paths.haproxyCfg]);
        assert.equal(haproxy.status, 0, `haproxy -c:\n${haproxy.out}`);
        const bash = sh('bash', ['-n', box.paths.notifyScript]);
        assert.equal(bash.status, 0, `bash -n:\n${bash.out}`);
        const units = expected.filter((f) => f.path.startsWith(box.paths.systemdDir)).map((f) => f.path);
        const verify = sh('systemd-analyze', ['verify', ...units]);
        assert.equal(verify.status, 0, verify.out);
        assert.equal(verify.out.trim(), '', `systemd-analyze verify warned:\n${verify.out}`);
      });
    }
  }

  it('the same checks reject broken configs (so a pass means something)', () => {
    const box = makeSandbox('awsops-broken');
    boxes.push(box);
    const files = nodeFiles({ spec: base, node: 'a', selfIp: '10.0.1.10', peerIp: '10.0.2.10', region: 'eu-west-1', eniId: 'eni-1', paths: box.paths });
    box.write(files);
    const conf = readFileSync(box.paths.keepalivedConf, 'utf8').replace('@PRIMARY_INTERFACE@', 'eth0');
    writeFileSync(box.paths.keepalivedConf, conf.replace('  advert_int 0.2\n', '  advert_int 0.2\n  vrrp_startup_delay 0\n'));
    assert.notEqual(sh('keepalived', ['-t', '-f', box.paths.keepalivedConf]).status, 0);
    writeFileSync(box.paths.keepalivedConf, conf.replace(/ {2}virtual_ipaddress \{\n.*\n {2}\}\n/, ''));
    assert.notEqual(sh('keepalived', ['-t', '-f', box.paths.keepalivedConf]).status, 0, 'VRRPv3 without an address');
    writeFileSync(box.paths.haproxyCfg, renderHaproxyCfg({ pairName: 'x', node: 'a', listeners: [] }).replace('monitor-uri', 'monitor-url'));
    assert.notEqual(sh('haproxy', ['-c', '-f', box.paths.haproxyCfg]).status, 0);
    writeFileSync(box.paths.notifyScript, readFileSync(box.paths.notifyScript, 'utf8').replace('esac', ''));
    assert.notEqual(sh('bash', ['-n', box.paths.notifyScript]).status, 0);
  });

  it('YAML that a YAML 1.1 reader (PyYAML, as cloud-init) reads back exactly, however the strings look', () => {
    const tricky: Json = {
      emptyFirstLineThenIndented: '\n  indented\nx',
      leadingSpace: ' x\ny',
      trailingNewlines: 'a\n\n',
      words11: ['yes', 'no', 'on', 'off', 'y', 'n', '0755', '1e3', '0x1f', '2010-09-09', '~', 'null'],
      markup: ['!Ref x', '*x', '&x', '#x', 'a: b', '- x', '{x}', '[x]', '%x', '@x', '`x', '"x', "'x", '|', '>'],
      tabs: 'a\tb\n\tc',
    };
    assert.deepEqual(parseYaml(toYaml(tricky)), tricky);
  });

  it('the template reads the same as JSON and YAML, and cfn-lint finds no error (internal and public pairs)', (t) => {
    const templates = ['http + tcp listeners with DNS backends, preempt', 'public pair, the stack allocates the Elastic IP', 'public pair adopting an Elastic IP', 'public only (no route table), adopting an Elastic IP'].map((label) => {
      const spec = CASES[label];
      assert.ok(userDataBytes(spec) <= USER_DATA_LIMIT, label);
      return buildPairTemplate(spec, { vpcCidrs: ['10.20.0.0/16', '10.21.0.0/16'] });
    });
    for (const template of templates) assert.deepEqual(parseYaml(templateYaml(template)), JSON.parse(templateJson(template)));
    if (sh('which', ['cfn-lint']).status !== 0) {
      t.skip('cfn-lint is not installed');
      return;
    }
    const box = makeSandbox('awsops-lint');
    boxes.push(box);
    const files = templates.flatMap((template, i) => [[`pair${i}.json`, templateJson(template)], [`pair${i}.yaml`, templateYaml(template)]]);
    for (const [name, text] of files) {
      const file = join(box.root, name);
      writeFileSync(file, text);
      // W3687: FromPort/ToPort -1 on the protocol-112 rule are valid, and some CloudFormation implementations need them.
      const lint = sh('cfn-lint', ['--ignore-checks', 'W3687', '--', file]);
      assert.equal(lint.status, 0, `cfn-lint ${name}:\n${lint.out}`);
    }
  });
});
