// Checks on esbuild metafiles that keep the lazy loading honest (used by scripts/build.mjs, tested in test/scripts).

const SDK = /node_modules\/@(aws-sdk|smithy)\//;
/** The SDK clients the first rows must not wait for. */
export const LATER_SERVICES = /node_modules\/@aws-sdk\/client-(cloudformation|iam|route-53|scheduler|ssm|pricing)\//;

/** SDK inputs of a bundle that must contain none (dist/extension.js). */
export function sdkInputs(metafile) {
  return Object.keys(metafile.inputs).filter((input) => SDK.test(input));
}

/**
 * The SDK packages of the given services in an output and every chunk it imports statically, transitively: what
 * requiring that output loads at once (a dynamic import or an external require comes later, or never).
 */
export function eagerPackages(metafile, output, services = LATER_SERVICES) {
  const seen = new Set([output]);
  for (const out of seen) {
    for (const imported of metafile.outputs[out].imports) if (imported.kind === 'import-statement' && !imported.external) seen.add(imported.path);
  }
  const inputs = [...seen].flatMap((out) => Object.keys(metafile.outputs[out].inputs).filter((input) => services.test(input)));
  return [...new Set(inputs.map((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input))];
}

/** Each entry's exports, refusing a name two entries export (the loader could not tell which bundle to require). */
export function exportsByBundle(metafile, entries) {
  const owner = new Map();
  const bundles = {};
  for (const out of entries) {
    const { exports } = metafile.outputs[`dist/${out}.js`];
    for (const name of exports) {
      if (owner.has(name)) throw new Error(`${name} is exported by both ${owner.get(name)} and ${out}: the loader could not tell which to require.`);
      owner.set(name, out);
    }
    bundles[`${out}.js`] = exports;
  }
  return bundles;
}
