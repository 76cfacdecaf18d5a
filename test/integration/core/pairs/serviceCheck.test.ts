import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseServiceCheck, SERVICE_CHECK_SCRIPT } from '../../../../src/core/pairs/serviceCheck';

/**
 * The SSM script against real keepalived and haproxy: both run in a network namespace of their own (a veth
 * pair inside it, no address outside it) with a private /tmp, and the script runs there as SSM would run it.
 */
const NEEDS = ['ip', 'unshare', 'keepalived', 'haproxy', 'python3'];
const missing = process.getuid?.() !== 0 ? 'needs root' : NEEDS.find((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);

const KEEPALIVED_CONF = `global_defs { router_id awsopstest }
vrrp_instance VI_1 {
  state BACKUP
  interface va
  virtual_router_id 51
  priority 100
  advert_int 1
  unicast_src_ip 10.251.7.1
  unicast_peer { 10.251.7.3 }
  virtual_ipaddress { 192.168.55.100/32 dev va }
  notify_master "/tmp/notify.sh master"
  notify "/tmp/missing-notify.sh"
}
`;

const HAPROXY_CFG = `global
  stats socket /tmp/admin.sock mode 600 level admin
defaults
  mode tcp
  timeout connect 1s
  timeout client 5s
  timeout server 5s
frontend fe
  bind 127.0.0.1:18081
  default_backend be_web
backend be_web
  server up1 127.0.0.1:18081 check inter 300
  server down1 127.0.0.1:1 check inter 300
`;

/** Runs inside the namespace: /tmp is the test's own directory; keepalived becomes MASTER as its peer never answers. */
const INNER = `set -u; cd /
mount --bind "$1" /tmp
ip link set lo up
ip link add va type veth peer name vb
ip addr add 10.251.7.1/24 dev va; ip addr add 10.251.7.2/24 dev vb
ip link set va up; ip link set vb up
haproxy -f /tmp/haproxy.cfg -db >/tmp/haproxy.log 2>&1 & hp=$!
keepalived -n -l -D -f /tmp/keepalived.conf -p /tmp/ka.pid -r /tmp/vrrp.pid -c /tmp/chk.pid >/tmp/keepalived.log 2>&1 & kp=$!
sleep 5
HAPROXY_CFG=/tmp/haproxy.cfg KEEPALIVED_PID=/tmp/ka.pid KEEPALIVED_CONF=/tmp/keepalived.conf bash /tmp/check.sh
kill $hp $kp; wait
`;

describe('the keepalived & haproxy check script on real daemons', { skip: missing ? `skipped: ${missing === 'needs root' ? missing : `no ${missing}`}` : false }, () => {
  const netns = `awsops-sc-${process.pid}`;
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'awsops-sc-'));
    writeFileSync(join(dir, 'keepalived.conf'), KEEPALIVED_CONF);
    writeFileSync(join(dir, 'haproxy.cfg'), HAPROXY_CFG);
    writeFileSync(join(dir, 'check.sh'), SERVICE_CHECK_SCRIPT);
    writeFileSync(join(dir, 'notify.sh'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    writeFileSync(join(dir, 'inner.sh'), INNER);
    assert.equal(spawnSync('ip', ['netns', 'add', netns]).status, 0);
  });
  after(() => {
    spawnSync('ip', ['netns', 'del', netns]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports keepalived MASTER and each haproxy server UP/DOWN from the stats socket', () => {
    const run = spawnSync('ip', ['netns', 'exec', netns, 'unshare', '-m', '--propagation', 'private', 'bash', join(dir, 'inner.sh'), dir], { timeout: 30_000 });
    const report = parseServiceCheck('i-local', run.stdout.toString());
    assert.equal(report.vrrpState, 'MASTER', run.stdout.toString() + run.stderr.toString());
    assert.deepEqual(report.backends, [
      { name: 'be_web', server: 'up1', status: 'UP' },
      { name: 'be_web', server: 'down1', status: 'DOWN' },
      { name: 'be_web', server: 'BACKEND', status: 'UP' },
    ]);
    // keepalived really runs the notify_master script named in its configuration: the check finds it executable.
    assert.deepEqual(report.notifyScripts, [{ path: '/tmp/missing-notify.sh', executable: false }, { path: '/tmp/notify.sh', executable: true }]);
  });
});
