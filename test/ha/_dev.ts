import { HaRig } from '../support/haRig';
void (async () => {
  const rig = await HaRig.start({ log: (m) => console.log(m) });
  try {
    console.log(rig.describe());
    console.log(await rig.routeRoles(), await rig.curlVip());
  } finally {
    rig.destroy();
  }
})();
