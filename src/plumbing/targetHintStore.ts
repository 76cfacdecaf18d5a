import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SessionSpec } from '../core/session/session';
import type { RegionSnapshot } from '../core/vip/model';
import { parseTargetHint, targetHintOf, type TargetHint } from '../core/vip/targetHints';

/** Regions (of every profile, role and endpoint) whose hints are kept; the least recently discovered go first. */
const MAX_REGIONS = 500;

/**
 * The VIP route targets each (profile, role, region, endpoint) named at its last discovery, kept in a file of the
 * extension's global storage so that the first refresh of the next session also saves its second round trip.
 * A file (not the global state Memento): it is written at once, so a window that is killed keeps it too.
 * Resource ids only, no secret; whatever the file holds is checked before it is asked about.
 */
export class TargetHintStore {
  private hints: Map<string, TargetHint> | undefined;
  private writing: Promise<void> = Promise.resolve();

  /** `file` undefined: hints last as long as the window (no file storage, e.g. a virtual global storage). */
  constructor(private readonly file: string | undefined) {}

  get(spec: SessionSpec): TargetHint | undefined {
    return this.load().get(keyOf(spec));
  }

  /** Keeps what this discovery's routes named; writes the file only when that changed. */
  remember(spec: SessionSpec, snapshot: RegionSnapshot, pairTagKey?: string): void {
    const hints = this.load();
    const key = keyOf(spec);
    const hint = targetHintOf(snapshot, pairTagKey);
    const unchanged = JSON.stringify(hints.get(key)) === JSON.stringify(hint);
    hints.delete(key); // re-inserted last: the map's order is the order of last use
    hints.set(key, hint);
    if (unchanged) return;
    for (const old of [...hints.keys()].slice(0, Math.max(0, hints.size - MAX_REGIONS))) hints.delete(old);
    this.save(JSON.stringify(Object.fromEntries(hints)));
  }

  /** Resolves when every write asked so far has finished (tests wait for it). */
  flushed(): Promise<void> {
    return this.writing;
  }

  private load(): Map<string, TargetHint> {
    if (this.hints) return this.hints;
    this.hints = new Map();
    let stored: unknown;
    try {
      stored = this.file ? JSON.parse(fs.readFileSync(this.file, 'utf8')) : undefined;
    } catch {
      return this.hints; // none yet, or not JSON: no hints, the next discovery writes a good file
    }
    if (typeof stored !== 'object' || stored === null) return this.hints;
    for (const [key, value] of Object.entries(stored).slice(-MAX_REGIONS)) {
      const hint = parseTargetHint(value);
      if (hint) this.hints.set(key, hint);
    }
    return this.hints;
  }

  /** One write at a time, each to a private temporary file renamed over the old one (a reader never sees half). */
  private save(data: string): void {
    const file = this.file;
    if (!file) return;
    this.writing = this.writing.then(async () => {
      const temporary = `${file}.${process.pid}.tmp`;
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      await fs.promises.writeFile(temporary, data, { mode: 0o600 });
      await fs.promises.rename(temporary, file);
    }).catch(() => undefined); // a hint that could not be kept only costs the next session a round trip
  }
}

function keyOf(spec: SessionSpec): string {
  return JSON.stringify([spec.profile ?? null, spec.roleArn ?? null, spec.region, spec.endpointUrl ?? null]);
}
