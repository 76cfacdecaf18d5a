import { HaRig, sleep } from '../support/haRig';
void (async () => {
  const rig = await HaRig.start({ log: (m) => console.log(m) });
  try {
    const seconds = Number(process.argv[2] ?? 40);
    const t0 = Date.now();
    rig.setPartition(true);
    let ok = 0, bad = 0, flips = 0;
    let last = 'a';
    const seen: string[] = [];
    while (Date.now() - t0 < seconds * 1000) {
      const roles = await rig.routeRoles();
      const now = Object.values(roles).join('');
      if (now !== last) { flips++; seen.push(`${((Date.now() - t0) / 1000).toFixed(1)}s ${now}`); last = now; }
      const body = await rig.curlVip();
      if (body.startsWith('node-')) ok++; else bad++;
      await sleep(200);
    }
    rig.setPartition(false);
    const calls = (await rig.calls()).filter((c) => c.at >= t0 && c.action === 'ReplaceRoute');
    const bySource: Record<string, number> = {};
    for (const c of calls) bySource[c.source] = (bySource[c.source] ?? 0) + 1;
    console.log({ seconds, flips, seen, bySource, ok, bad });
    await rig.settle('a');
    console.log('healed', await rig.routeRoles());
  } finally {
    rig.destroy();
  }
})();
