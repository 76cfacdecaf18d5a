import { after, before, beforeEach } from 'node:test';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { SessionPool } from '../../src/core/session/pool';
import type { AwsSession } from '../../src/core/session/session';
import { startFaultProxy, type FaultProxy } from './faultProxy';
import { motoPool, startMoto, type Moto } from './moto';

/**
 * node:test hooks for the enclosing describe: one moto_server for all its tests, reset before each test
 * (unless `reset: false`) and stopped at the end. The returned handle works from the first `before` hook on;
 * hooks registered after this call run after moto's, so they may already use it.
 * (Mocha's suite under test/suite has its own globals and uses startWorld instead.)
 */
export function useMoto(options: { env?: NodeJS.ProcessEnv; reset?: boolean } = {}): Moto {
  let started: Moto | undefined;
  const running = (): Moto => {
    if (!started) throw new Error('moto is not running yet: use it in a hook or test of the describe that called useMoto()');
    return started;
  };
  before(async () => {
    started = await startMoto(options.env);
  });
  after(async () => {
    await started?.stop();
  });
  if (options.reset ?? true) beforeEach(() => running().reset());
  return {
    get url() {
      return running().url;
    },
    get port() {
      return running().port;
    },
    reset: () => running().reset(),
    stop: () => running().stop(),
  };
}

/** A moto with a counting fault proxy in front: the product's calls go through the proxy, seeding and truth reads go direct. */
export interface ProxiedMoto {
  readonly moto: Moto;
  readonly proxy: FaultProxy;
  readonly pool: SessionPool;
  /** The product's session, through the proxy so that its calls are counted. */
  readonly session: AwsSession;
  /** Straight to moto, for seeding and reading the truth. */
  readonly ec2: EC2Client;
}

/** useMoto plus a fault proxy (rate 0) whose counts are reset before each test. */
export function useProxiedMoto(region = 'us-east-1'): ProxiedMoto {
  const moto = useMoto();
  const pool = motoPool();
  let proxy: FaultProxy | undefined;
  const started = (): FaultProxy => {
    if (!proxy) throw new Error('the fault proxy is not running yet');
    return proxy;
  };
  before(async () => {
    proxy = await startFaultProxy({ target: moto.url });
  });
  after(async () => {
    pool.clear();
    await proxy?.stop();
  });
  beforeEach(() => started().resetCounts());
  return {
    moto,
    pool,
    get proxy() {
      return started();
    },
    get session() {
      return pool.get({ region, endpointUrl: started().url });
    },
    get ec2() {
      return pool.get({ region, endpointUrl: moto.url }).client('ec2');
    },
  };
}
