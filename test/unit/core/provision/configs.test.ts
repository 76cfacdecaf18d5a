import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { architectureFor } from '../../../../src/core/provision/ami';
import { changeAction } from '../../../../src/core/provision/changeSet';
import { renderHaproxyCfg } from '../../../../src/core/provision/haproxy';
import { instanceName, renderKeepalivedConf, virtualRouterIdFor, type KeepalivedInput } from '../../../../src/core/provision/keepalived';
import { DEFAULT_NODE_PATHS, type NodePaths } from '../../../../src/core/provision/nodePaths';
import { renderNotifyScript, renderPairConf, shellQuote } from '../../../../src/core/provision/notifyScript';
import { renderRouteKeeperUnits } from '../../../../src/core/provision/routeKeeper';
import { failureOf, type StackEvent } from '../../../../src/core/provision/stackWatch';
import { nodeFiles, renderUserData, USER_DATA_LIMIT, type NodeUserDataInput } from '../../../../src/core/provision/userData';
import { toYaml } from '../../../../src/core/provision/yaml';

const keepalivedInput: KeepalivedInput = {
  pairName: 'web-eu1',
  node: 'a',
  selfIp: '10.0.1.10',
  peerIp: '10.0.2.10',
  vip: '192.168.55.100',
  interface: 'ens5',
  preempt: false,
};

const testPaths: NodePaths = {
  ...DEFAULT_NODE_PATHS,
  notifyScript: '/srv/t/awsops-notify',
  pairConf: '/srv/t/pair.conf',
  stateFile: '/srv/t/state',
  keepalivedPidFile: '/srv/t/k.pid',
  haproxySocket: '/srv/t/admin.sock',
  haproxyLog: '127.0.0.1:514',
  bin: { ...DEFAULT_NODE_PATHS.bin, curl: '/opt/bin/curl' },
};

describe('keepalived.conf', () => {
  const conf = renderKeepalivedConf(keepalivedInput);

  it('runs unicast VRRPv3 with sub-second adverts between the two nodes', () => {
    assert.match(conf, /\n {2}vrrp_version 3\n/);
    assert.match(conf, /\n {2}advert_int 0\.2\n/);
    assert.match(conf, /\n {2}unicast_src_ip 10\.0\.1\.10\n {2}unicast_peer \{\n {4}10\.0\.2\.10\n {2}\}\n/);
    assert.match(conf, /\n {2}interface ens5\n/);
    assert.match(conf, /\n {2}virtual_ipaddress \{\n {4}192\.168\.55\.100\/32\n {2}\}\n/);
    assert.match(conf, new RegExp(`\\n {2}virtual_router_id ${virtualRouterIdFor('web-eu1')}\\n`));
  });

  it('gives node A priority 150 and node B 100; both start BACKUP; nopreempt unless preempt is chosen', () => {
    assert.match(conf, /\n {2}priority 150\n/);
    assert.match(renderKeepalivedConf({ ...keepalivedInput, node: 'b' }), /\n {2}priority 100\n/);
    assert.match(conf, /\n {2}state BACKUP\n/);
    assert.match(conf, /\n {2}nopreempt\n/);
    const preempt = renderKeepalivedConf({ ...keepalivedInput, preempt: true });
    assert.doesNotMatch(preempt, /nopreempt/);
    assert.match(preempt, /\n {2}state BACKUP\n/);
  });

  it('checks that haproxy answers HTTP (not pidof), with tight fall/rise', () => {
    assert.match(conf, /script "\/usr\/bin\/curl -fsS -o \/dev\/null --max-time 0\.8 http:\/\/127\.0\.0\.1:8404\/healthz"/);
    assert.doesNotMatch(conf, /pidof/);
    assert.match(conf, /\n {2}interval 1\n {2}timeout 1\n {2}fall 2\n {2}rise 2\n/);
    assert.match(conf, /\n {2}track_script \{\n {4}chk_haproxy\n {2}\}\n/);
  });

  it('moves routes on MASTER and heals split brain, with script security on', () => {
    assert.match(conf, /\n {2}notify_master "\/usr\/local\/sbin\/awsops-notify master"\n/);
    assert.match(conf, /\n {2}notify_master_rx_lower_pri "\/usr\/local\/sbin\/awsops-notify master"\n/);
    assert.match(conf, /\n {2}notify "\/usr\/local\/sbin\/awsops-notify state"\n/);
    assert.match(conf, /\n {2}vrrp_higher_prio_send_advert\n/);
    assert.match(conf, /\n {2}enable_script_security\n {2}script_user root\n/);
  });

  it('takes every path and binary as a parameter', () => {
    const custom = renderKeepalivedConf({ ...keepalivedInput, paths: testPaths, statsPort: 9404, advertInt: 0.3, virtualRouterId: 7 });
    assert.match(custom, /script "\/opt\/bin\/curl .* http:\/\/127\.0\.0\.1:9404\/healthz"/);
    assert.match(custom, /notify_master "\/srv\/t\/awsops-notify master"/);
    assert.match(custom, /advert_int 0\.3\n/);
    assert.match(custom, /virtual_router_id 7\n/);
  });

  it('derives a stable virtual router id in 1..255 from the name', () => {
    const ids = ['a', 'web', 'web-eu1', 'web-eu2', 'db-primary', 'x'.repeat(32)].map(virtualRouterIdFor);
    assert.ok(ids.every((id) => Number.isInteger(id) && id >= 1 && id <= 255));
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(virtualRouterIdFor('web-eu1'), virtualRouterIdFor('web-eu1'));
    assert.equal(instanceName('web-eu1'), 'VI_web_eu1');
  });
});

describe('haproxy.cfg', () => {
  it('has an admin socket, the health/stats frontend and the user listeners', () => {
    const cfg = renderHaproxyCfg({
      pairName: 'web',
      node: 'b',
      listeners: [
        { port: 80, mode: 'http', servers: [{ host: '10.0.1.10', port: 8080 }, { host: 'app.internal', port: 8080 }] },
        { port: 5432, mode: 'tcp', servers: [{ host: '10.0.3.3', port: 5432 }] },
      ],
    });
    assert.match(cfg, /\n {2}stats socket \/var\/lib\/haproxy\/admin\.sock mode 600 level admin/);
    assert.match(cfg, /\nfrontend stats\n {2}mode http\n {2}bind :8404\n {2}monitor-uri \/healthz\n/);
    assert.match(cfg, /\n {2}user haproxy\n {2}group haproxy\n/);
    assert.match(cfg, /\nfrontend fe_http_80\n {2}mode http\n {2}bind :80\n {2}option httplog\n {2}option forwardfor\n {2}default_backend be_http_80\n/);
    assert.match(cfg, /\nbackend be_http_80\n {2}mode http\n {2}balance roundrobin\n {2}server s1 10\.0\.1\.10:8080\n {2}server s2 app\.internal:8080\n/);
    assert.match(cfg, /\nfrontend fe_tcp_5432\n {2}mode tcp\n {2}bind :5432\n {2}option tcplog\n/);
    assert.match(cfg, /default-server init-addr last,libc,none check/);
    assert.doesNotMatch(cfg, /fe_http_80\n[\s\S]*http-request return/);
  });

  it('answers by itself on port 80 when there is no listener, naming the node', () => {
    const cfg = renderHaproxyCfg({ pairName: 'web', node: 'a', listeners: [] });
    assert.match(cfg, /\nfrontend fe_http_80\n {2}mode http\n {2}bind :80\n {2}http-request return status 200 content-type text\/plain string "web node A"\n/);
  });

  it('can keep its privileges and use other paths (a sandboxed run)', () => {
    const cfg = renderHaproxyCfg({ pairName: 'web', node: 'a', listeners: [], runAs: null, paths: testPaths, statsPort: 9404 });
    assert.doesNotMatch(cfg, /chroot|user haproxy/);
    assert.match(cfg, /log 127\.0\.0\.1:514 local0/);
    assert.match(cfg, /stats socket \/srv\/t\/admin\.sock /);
    assert.match(cfg, /bind :9404\n/);
  });
});

describe('the notify script and its settings', () => {
  const script = renderNotifyScript('web');

  it('signs EC2 calls with curl --aws-sigv4 (no aws CLI) and keeps secrets off the command line', () => {
    assert.doesNotMatch(script, /\baws ec2\b|\/usr\/bin\/aws\b/);
    assert.match(script, /--aws-sigv4 "aws:amz:\$REGION:\$service"/);
    assert.match(script, /\nec2\(\) \{ query "\$ENDPOINT_URL" ec2 2016-11-15 "\$@"; \}\n/);
    assert.match(script, /printf 'user = "%s:%s"\\nheader = "x-amz-security-token: %s"\\n' "\$AK" "\$SK" "\$ST" \|\n\s+"\$CURL" .* -K - /);
    assert.match(script, /Action=\$action" --data-urlencode "Version=\$version"/);
  });

  it('uses IMDSv2 for identity and credentials, and names binaries by absolute path', () => {
    assert.match(script, /-X PUT \\\n\s+-H 'X-aws-ec2-metadata-token-ttl-seconds: 60' "\$IMDS_URL\/latest\/api\/token"/);
    assert.match(script, /imds "iam\/security-credentials\/\$role"/);
    assert.match(script, /\nPATH=\/usr\/sbin:\/usr\/bin:\/sbin:\/bin\nCURL=\/usr\/bin\/curl\nLOGGER=\/usr\/bin\/logger\nFLOCK=\/usr\/bin\/flock\n/);
    assert.match(script, /\nCONF=\/etc\/awsops\/pair\.conf\n/);
  });

  it('moves tables in parallel, falls back to CreateRoute, reads back, and fails when a table is elsewhere', () => {
    assert.match(script, /move_table "\$table" "\$mode" &\n/);
    assert.match(script, /InvalidParameterValue \| InvalidRoute\.NotFound\)[\s\S]*ec2 CreateRoute/);
    assert.match(script, /target=\$\(route_target "\$table"\)/);
    assert.match(script, /\[ "\$failed" -eq 0 \]\n\}/);
    assert.match(script, /"\$LOGGER" -t "\$TAG"/);
  });

  it('takes its paths as parameters', () => {
    const custom = renderNotifyScript('web', testPaths);
    assert.match(custom, /\nCURL=\/opt\/bin\/curl\n/);
    assert.match(custom, /\nCONF=\/srv\/t\/pair\.conf\n/);
    assert.match(custom, /\nSTATE_FILE=\/srv\/t\/state\n/);
    assert.match(custom, /\nKEEPALIVED_PID_FILE=\/srv\/t\/k\.pid\n/);
  });

  it('writes settings a shell can source safely, with optional endpoints', () => {
    const conf = renderPairConf({ pairName: 'web', vip: '192.168.55.100', routeTableIds: ['rtb-1', 'rtb-2'], region: 'eu-west-1', eniId: 'eni-1', endpointUrl: 'https://vpce-1.ec2.eu-west-1.vpce.amazonaws.com' });
    assert.match(conf, /\nVIP='192\.168\.55\.100'\nROUTE_TABLES='rtb-1 rtb-2'\nREGION='eu-west-1'\n/);
    assert.match(conf, /\nENI_ID='eni-1'\n/);
    assert.match(conf, /\nENDPOINT_URL='https:\/\/vpce-1\.ec2\.eu-west-1\.vpce\.amazonaws\.com'\n/);
    assert.match(conf, /\nIMDS_URL=''\n/);
    assert.match(conf, /\nLOG_FILE=''\n/);
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
  });
});

describe('route keeper units', () => {
  it('runs the notify script in keep mode every 10 s', () => {
    const { service, timer } = renderRouteKeeperUnits({ pairName: 'web' });
    assert.equal(service.name, 'awsops-route-keeper.service');
    assert.match(service.content, /\nType=oneshot\nExecStart=\/usr\/local\/sbin\/awsops-notify keep\n/);
    assert.equal(timer.name, 'awsops-route-keeper.timer');
    assert.match(timer.content, /\nOnBootSec=30s\nOnUnitActiveSec=10s\nAccuracySec=1s\n/);
    assert.match(timer.content, /\nWantedBy=timers\.target\n/);
    const fast = renderRouteKeeperUnits({ pairName: 'web', intervalSeconds: 3, paths: testPaths });
    assert.match(fast.timer.content, /OnUnitActiveSec=3s/);
    assert.match(fast.service.content, /ExecStart=\/srv\/t\/awsops-notify keep/);
  });
});

describe('user data', () => {
  const input: NodeUserDataInput = {
    spec: { name: 'web', vip: '192.168.55.100', routeTableIds: ['rtb-1'], listeners: [], preempt: false },
    node: 'a',
    selfIp: '10.0.1.10',
    peerIp: '10.0.2.10',
    region: 'eu-west-1',
    eniId: 'eni-1',
  };

  it('installs both packages, writes every file with its mode (root-owned: cloud-init\'s default, never overridden), then starts the services', () => {
    const text = renderUserData(input);
    assert.match(text, /^#cloud-config\n/);
    assert.match(text, /\npackages:\n {2}- haproxy\n {2}- keepalived\n {2}- iptables-nft\n/);
    // The haproxy user cannot reach the role's credentials; the rule is in place before haproxy starts.
    const guard = text.indexOf('iptables -w -I OUTPUT -d 169.254.169.254 -m owner --uid-owner haproxy -j REJECT');
    assert.ok(guard > 0 && guard < text.indexOf('systemctl enable --now'));
    assert.match(text, /ip6tables -w -I OUTPUT -d fd00:ec2::254 -m owner --uid-owner haproxy -j REJECT/);
    // The script (with the haproxy watcher) no longer fits 16 KB as plain text: gzipped, cloud-init unpacks it.
    assert.match(text, /\n {2}- path: \/usr\/local\/sbin\/awsops-notify\n {4}permissions: '0755'\n {4}encoding: gz\+b64\n/);
    assert.deepEqual(
      nodeFiles(input).map((f) => `${f.mode} ${f.path}`),
      [
        '0644 /etc/awsops/pair.conf',
        '0755 /usr/local/sbin/awsops-notify',
        '0644 /etc/keepalived/keepalived.conf',
        '0644 /etc/haproxy/haproxy.cfg',
        '0644 /etc/systemd/system/awsops-vip.service',
        '0644 /etc/systemd/system/awsops-haproxy-watch.service',
        '0644 /etc/systemd/system/awsops-route-keeper.service',
        '0644 /etc/systemd/system/awsops-route-keeper.timer',
      ],
    );
    assert.match(nodeFiles(input).find((f) => f.path.endsWith('/awsops-vip.service'))?.content ?? '', /\nExecStart=\/usr\/sbin\/ip address replace 192\.168\.55\.100\/32 dev lo\n/);
    assert.match(text, /\nruncmd:\n {2}- "iface=.*sed -i \\"s\/@PRIMARY_INTERFACE@\/\$iface\/\\" \/etc\/keepalived\/keepalived\.conf"\n/);
    assert.match(text, /\n {2}- systemctl enable --now awsops-vip\.service haproxy\.service awsops-haproxy-watch\.service keepalived\.service awsops-route-keeper\.timer\n {2}- \/usr\/local\/sbin\/awsops-notify ready\n$/);
  });

  it('gzips the files without deploy-time values when the plain text would pass 16 KB', () => {
    const listeners = Array.from({ length: 60 }, (_, i) => ({ port: 20_000 + i, mode: 'tcp' as const, servers: [{ host: `backend-${i}.internal`, port: 9000 }] }));
    const big = { ...input, spec: { ...input.spec, listeners } };
    const text = renderUserData(big);
    assert.ok(Buffer.byteLength(text) <= USER_DATA_LIMIT, `${Buffer.byteLength(text)} bytes`);
    const encoded = [...text.matchAll(/ {2}- path: (\S+)\n.*\n {4}encoding: gz\+b64\n {4}content: (\S+)\n/g)];
    assert.deepEqual(encoded.map((m) => m[1]), ['/etc/awsops/pair.conf', '/usr/local/sbin/awsops-notify', '/etc/keepalived/keepalived.conf', '/etc/haproxy/haproxy.cfg', '/etc/systemd/system/awsops-vip.service']);
    // Units shorter than their gzip + base64 stay plain text.
    for (const unit of ['awsops-haproxy-watch.service', 'awsops-route-keeper.service', 'awsops-route-keeper.timer']) assert.match(text, new RegExp(`- path: /etc/systemd/system/${unit}\\n.*\\n {4}content: \\|\\n`));
    const files = nodeFiles(big);
    for (const [, path, content] of encoded) {
      assert.equal(gunzipSync(Buffer.from(content, 'base64')).toString('utf8'), files.find((f) => f.path === path)?.content);
    }
    const withMarkers = renderUserData({ ...big, selfIp: '@@{NodeAEni.PrimaryPrivateIpAddress}' });
    assert.match(withMarkers, /\n {4}content: \|\n {6}# keepalived for HA pair "web", node A/, 'a file holding deploy-time values stays readable');
  });
});

describe('YAML writer', () => {
  it('writes block style, quotes what YAML would misread, keeps multi-line text exact', () => {
    assert.equal(
      toYaml({ a: 'plain', n: -1, t: true, s: 'yes', v: '2010-09-09', k: '0755', e: [], o: {}, l: [{ x: 1, y: [2] }, 'z'], m: 'l1\nl2\n', m2: 'a\nb' }),
      'a: plain\n"n": -1\nt: true\ns: "yes"\nv: "2010-09-09"\nk: "0755"\ne: []\no: {}\nl:\n  - x: 1\n    "y":\n      - 2\n  - z\nm: |\n  l1\n  l2\nm2: |-\n  a\n  b\n',
    );
    assert.equal(toYaml({ lead: ' x\ny' }), 'lead: |2-\n   x\n  y\n', 'an indentation indicator keeps leading spaces exact');
    assert.equal(toYaml({ s: '\n  indented\nx' }), 's: |2-\n  \n    indented\n  x\n', 'an empty first line before an indented one');
  });
});

describe('deploy helpers', () => {
  it('picks the Graviton AMI for Graviton instance types', () => {
    for (const type of ['t4g.small', 'm7gd.large', 'c6gn.xlarge', 'im4gn.large', 'g5g.xlarge', 'a1.medium', 'r8g.large']) assert.equal(architectureFor(type), 'arm64', type);
    for (const type of ['t3.small', 'm7i-flex.large', 'c5n.large', 'g5.xlarge', 'x2iedn.xlarge', 'weird']) assert.equal(architectureFor(type), 'x86_64', type);
  });

  it('summarises change set actions', () => {
    assert.equal(changeAction({ ResourceChange: { Action: 'Add' } }), 'add');
    assert.equal(changeAction({ ResourceChange: { Action: 'Modify', Replacement: 'True' } }), 'replace');
    assert.equal(changeAction({ ResourceChange: { Action: 'Modify', Replacement: 'Conditional' } }), 'maybe-replace');
    assert.equal(changeAction({ ResourceChange: { Action: 'Modify', Replacement: 'False' } }), 'modify');
    assert.equal(changeAction({ ResourceChange: { Action: 'Remove' } }), 'remove');
  });

  it("names the resource whose own failure rolled the stack back, not the cancelled ones", () => {
    const event = (logicalId: string, resourceType: string, status: string, reason?: string): StackEvent => ({ eventId: `${logicalId}-${status}`, timestamp: new Date(), logicalId, resourceType, status, reason });
    const events = [
      event('stack', 'AWS::CloudFormation::Stack', 'CREATE_IN_PROGRESS', 'User Initiated'),
      event('NodeRole', 'AWS::IAM::Role', 'CREATE_FAILED', 'Resource creation cancelled'),
      event('NodeA', 'AWS::EC2::Instance', 'CREATE_FAILED', 'The image id [ami-1] does not exist'),
      event('stack', 'AWS::CloudFormation::Stack', 'ROLLBACK_IN_PROGRESS', 'The following resource(s) failed to create: [NodeA, NodeRole].'),
      event('stack', 'AWS::CloudFormation::Stack', 'ROLLBACK_COMPLETE'),
    ];
    assert.deepEqual(failureOf(events), { logicalId: 'NodeA', resourceType: 'AWS::EC2::Instance', status: 'CREATE_FAILED', reason: 'The image id [ami-1] does not exist' });
    assert.equal(failureOf(events.filter((e) => e.logicalId !== 'NodeA'))?.reason, 'Resource creation cancelled');
    assert.equal(failureOf(events.slice(0, 1)), undefined);
  });

  it("adds what a node said in its FAILURE signal (CloudFormation echoes the signal's UniqueId)", () => {
    const event = (status: string, reason: string): StackEvent => ({ eventId: status + reason, timestamp: new Date(), logicalId: 'NodeB', resourceType: 'AWS::EC2::Instance', status, reason });
    const events = [
      event('CREATE_IN_PROGRESS', 'Resource creation Initiated'),
      event('CREATE_IN_PROGRESS', 'Received FAILURE signal with UniqueId i-0abc:haproxy-config-invalid'),
      event('CREATE_FAILED', 'Received 1 FAILURE signal(s) out of 1. Unable to satisfy 100% MinSuccessfulInstancesPercent requirement'),
    ];
    assert.equal(
      failureOf(events)?.reason,
      'Received 1 FAILURE signal(s) out of 1. Unable to satisfy 100% MinSuccessfulInstancesPercent requirement; node i-0abc reported: haproxy-config-invalid',
    );
  });
});
