import * as nodeModule from 'node:module';
import { join } from 'node:path';
import type * as Core from './index';
import type * as Fleet from './fleet';
import type * as Iam from './iam';
import type * as Jumpboxes from './jumpboxes';
import type * as Provision from './provision';
import type * as Ssm from './ssm';

/** Every export of the AWS bundles; each bundle is required on first use of one of its exports. */
export type Aws = typeof Core & typeof Iam & typeof Provision & typeof Jumpboxes & typeof Ssm & typeof Fleet;

/** Bundle file → its exports, written in by scripts/build.mjs (esbuild `define`), which also checks they are unique. */
declare const AWS_BUNDLE_EXPORTS: Record<string, readonly string[]>;

/** Node ≥ 22.1 (and flushing ≥ 22.10); absent on Node 20, where bundles simply compile each session. */
interface CompileCacheApi {
  enableCompileCache?: (directory: string) => { status: number; directory?: string };
  flushCompileCache?: () => void;
}

let facade: Aws | undefined;
let compileCacheDir: string | undefined;
const bundles = new Map<string, Record<string, unknown>>();
const loadMs: Record<string, number> = {};

/**
 * Where Node may keep the bundles' compiled code between sessions (under the extension's global storage).
 * Nothing happens until the first bundle is required.
 */
export function useCompileCache(directory: string): void {
  compileCacheDir = directory;
}

/** The AWS-facing code (SDK included), split by capability: reading a property requires only its bundle. */
export function loadAws(): Aws {
  if (!facade) {
    if (typeof AWS_BUNDLE_EXPORTS === 'undefined') throw new Error('The AWS bundles are missing: build with scripts/build.mjs.');
    const target: Record<string, unknown> = {};
    for (const [file, names] of Object.entries(AWS_BUNDLE_EXPORTS)) {
      for (const name of names) Object.defineProperty(target, name, { enumerable: true, get: () => requireBundle(file)[name] });
    }
    facade = target as Aws;
  }
  return facade;
}

/** How long requiring each bundle took, by file (the benchmark reads it). */
export function bundleLoadMs(): Record<string, number> {
  return { ...loadMs };
}

function requireBundle(file: string): Record<string, unknown> {
  let bundle = bundles.get(file);
  if (!bundle) {
    const cache = nodeModule as CompileCacheApi;
    // Once per host process; it also serves modules loaded after ours (they only get faster).
    if (compileCacheDir && bundles.size === 0) cache.enableCompileCache?.(compileCacheDir);
    const started = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a runtime require is the point: bundles load lazily.
    bundle = require(join(__dirname, file)) as Record<string, unknown>;
    loadMs[file] = performance.now() - started;
    bundles.set(file, bundle);
    // Written now: an extension host that is killed never writes it on exit.
    cache.flushCompileCache?.();
  }
  return bundle;
}
