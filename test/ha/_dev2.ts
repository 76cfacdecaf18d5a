import { spawnSync } from 'node:child_process';
import { HaRig, sleep } from '../support/haRig';
const sh = (...a: string[]) => { const r = spawnSync(a[0], a.slice(1), { encoding: 'utf8' }); console.log(a.slice(0, 8).join(' '), '=>', r.status, r.stderr.trim()); };
void (async () => {
  const rig = await HaRig.start({ log: (m) => console.log(m) });
  try {
    const aws = rig.nodes.a.ns.replace(/-a$/, '-aws');
    for (const dev of ['va', 'vb']) {
      sh('tc', '-n', aws, 'qdisc', 'add', 'dev', dev, 'root', 'handle', '1:', 'prio');
      sh('tc', '-n', aws, 'qdisc', 'add', 'dev', dev, 'parent', '1:3', 'handle', '30:', 'blackhole');
      sh('tc', '-n', aws, 'filter', 'add', 'dev', dev, 'parent', '1:', 'protocol', 'ip', 'prio', '1', 'u32', 'match', 'ip', 'protocol', '112', '0xff', 'flowid', '1:3');
    }
    await sleep(4000);
    console.log('states', rig.state('a'), rig.state('b'), rig.vipHolders(), await rig.routeRoles());
    const h = spawnSync('ip', ['netns', 'exec', rig.nodes.b.ns, 'curl', '-s', '-m', '1', `http://${rig.nodes.a.ip}:8404/healthz`], { encoding: 'utf8' });
    console.log('B->A healthz', h.status, h.stdout.slice(0, 30));
  } finally {
    rig.destroy();
  }
})();
