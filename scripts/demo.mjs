// Starts the demo and keeps it running until Ctrl-C (or SIGTERM), then stops everything it started.
import { ensureHost } from './vscode-host/install.mjs';
import { launchProduct, vsixPath } from './world/launchProduct.mjs';

const port = Number(process.env.AWS_OPS_DEMO_PORT) || undefined;
await ensureHost();
const product = await launchProduct({ vsix: vsixPath(), port });
const w = product.world;
console.log(`
AWS Ops demo is running.

  Open:  ${product.url}
  (moto, the AWS emulator: ${product.motoUrl}; profile "demo"; regions eu-west-1, us-east-1)

  In the AWS Ops activity-bar container:
  - VIP Routes: the pair's VIP ${w.vips.vips.healthy} in 3 route tables, a split-brain VIP, a VIP routed to an ENI,
    a stopped target, partial coverage, source/dest check, a VIP inside the VPC CIDR.
  - Jumpboxes: ${w.jumpboxDns} (stopped, its record left at a released IP; start it and the record follows).
  - Fleet: "AWS Ops: Select Profiles…" (the organization icon on VIP Routes), type demo-* as a pattern: three
    accounts (demo, demo-staging, demo-dev), each with a pair, grouped by account → region → VPC.

Ctrl-C stops it.`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  await product.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
