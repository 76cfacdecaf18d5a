import type * as AwsModule from './index';

export type Aws = typeof AwsModule;

let loaded: Aws | undefined;

/** Requires dist/aws.js (the SDK and core) the first time any AWS work is needed. */
export function loadAws(): Aws {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a runtime require is the point: the bundle loads lazily.
  loaded ??= require('./aws.js') as Aws;
  return loaded;
}
