import * as fs from 'node:fs';
import * as path from 'node:path';

/** Every file under a folder, for scanning the extension's logs (the "AWS Ops" log is written under its logUri). */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
