import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A small HTTP proxy on 127.0.0.1 between the SDK and moto that injects the faults AWS clients meet:
 * throttling, 500/503, connection resets and requests that never answer — before the request reaches moto,
 * and after it (the change is made but the answer is lost). Counts requests by API action.
 *
 * It also makes EC2 eventually consistent, as moto is not: after a route write that reached moto, every
 * DescribeRouteTables answer shows that table's routes as they were before the write, for a window drawn per
 * write (per table); likewise DescribeAddresses after an AssociateAddress (per Elastic IP). A second door, `faultFreeUrl`, shares the stale state but injects no fault: for a third
 * party (another operator, keepalived) whose writes must really happen, and make reads stale like any write.
 */
export type FaultKind = 'throttle' | 'http500' | 'http503' | 'reset' | 'hang' | 'reset-after' | 'hang-after';

export const ALL_FAULTS: readonly FaultKind[] = ['throttle', 'http500', 'http503', 'reset', 'hang', 'reset-after', 'hang-after'];

export interface FaultProxyOptions {
  /** moto's URL. */
  target: string;
  /** Share of requests that get a fault, 0..1; default 0. */
  rate?: number;
  /** Seed of the fault RNG (the same seed and request order give the same faults). */
  seed?: number;
  kinds?: readonly FaultKind[];
  stale?: StaleOptions;
  /** Answers AccessDenied with the returned message, as IAM would (moto lets every call and role through). */
  deny?: (action: string, body: string) => string | undefined;
  /** Added before each answer: moto answers in ~5 ms, a real AWS endpoint in tens of ms. */
  latencyMs?: number;
}

/** Stale windows after route writes: each write's window is drawn in [minMs, maxMs]; `only` limits them to some tables. */
export interface StaleOptions {
  minMs?: number;
  maxMs: number;
  only?: (routeTableId: string) => boolean;
}

export interface FaultProxy {
  url: string;
  /** The same proxy (and stale state) without random faults, and its requests are not counted. */
  faultFreeUrl: string;
  setRate(rate: number): void;
  setStale(stale: StaleOptions | undefined): void;
  /** DescribeRouteTables answers that showed at least one table as it was before a write. */
  staleAnswers(): number;
  /** When the last stale window of these tables ends (epoch ms; 0 when none was opened). */
  staleUntil(routeTableIds: readonly string[]): number;
  /** Requests received (faulted or not) per action, e.g. { DescribeRouteTables: 3, ReplaceRoute: 2 }. */
  counts(): Record<string, number>;
  /** Received requests whose action changes something (anything but Describe*, Get*, List*, or a REST GET/HEAD). */
  mutatingCount(): number;
  faults(): Partial<Record<FaultKind, number>>;
  resetCounts(): void;
  stop(): Promise<void>;
}

const READ_ONLY = /^(Describe|Get|List|GET |HEAD )/;
const ROUTE_WRITES = new Set(['CreateRoute', 'ReplaceRoute', 'DeleteRoute']);
/** Elastic IP moves: DescribeAddresses may show the address where it was before, like routes after a route write. */
const ADDRESS_WRITES = new Set(['AssociateAddress']);

/** GET this path on the proxy for its counts as JSON (for a client in another process, e.g. the extension host). */
export const COUNTS_PATH = '/__fault-proxy/counts';

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const kinds = options.kinds ?? ALL_FAULTS;
  const random = mulberry32(options.seed ?? 1);
  const staleRandom = mulberry32((options.seed ?? 1) + 1);
  let rate = options.rate ?? 0;
  let stale = options.stale;
  let counts: Record<string, number> = {};
  let faults: Partial<Record<FaultKind, number>> = {};
  let staleAnswers = 0;
  /**
   * routeTableId → its <routeSet> as it was before the last write, or allocationId → its DescribeAddresses
   * <item>; and until when reads still see it.
   */
  const previous = new Map<string, { routeSet: string; until: number }>();
  const sockets = new Set<Socket>();

  const forward = (req: IncomingMessage, body: Buffer, headers: IncomingMessage['headers'] = req.headers) =>
    new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });

  /** The table's routes as moto holds them now (moto does not check the copied signature; the region comes from it). */
  const routeSetNow = async (req: IncomingMessage, routeTableId: string): Promise<string | undefined> => {
    const body = Buffer.from(`Action=DescribeRouteTables&Version=2016-11-15&RouteTableId.1=${encodeURIComponent(routeTableId)}`);
    const answer = await forward(req, body, { ...req.headers, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'content-length': String(body.length) });
    return answer.status === 200 ? routeSets(answer.body.toString())[0]?.routeSet : undefined;
  };

  /** The address as moto holds it now. */
  const addressNow = async (req: IncomingMessage, allocationId: string): Promise<string | undefined> => {
    const body = Buffer.from(`Action=DescribeAddresses&Version=2016-11-15&AllocationId.1=${encodeURIComponent(allocationId)}`);
    const answer = await forward(req, body, { ...req.headers, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'content-length': String(body.length) });
    return answer.status === 200 ? addressItems(answer.body.toString())[0]?.routeSet : undefined;
  };

  /** Each table (or address) with an open window shows its routes (or association) from before the write. */
  const staleView = (xml: string, parts: ReturnType<typeof routeSets>): string => {
    const now = Date.now();
    let replaced = false;
    const view = parts.reduceRight((text, { routeTableId, start, end }) => {
      const old = previous.get(routeTableId);
      if (!old || old.until <= now) return text;
      replaced = true;
      return text.slice(0, start) + old.routeSet + text.slice(end);
    }, xml);
    if (replaced) staleAnswers++;
    return view;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, faulty: boolean) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method === 'GET' && req.url === COUNTS_PATH) return void res.end(JSON.stringify(counts));
    const body = Buffer.concat(chunks);
    const action = actionOf(req, body);
    if (faulty) counts[action] = (counts[action] ?? 0) + 1;
    const fault = faulty && random() < rate ? kinds[Math.floor(random() * kinds.length)] : undefined;
    if (fault) faults[fault] = (faults[fault] ?? 0) + 1;
    const json = !!req.headers['x-amz-target'];
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    const denied = options.deny?.(action, body.toString());
    if (denied) return sendError(res, json, 403, 'AccessDenied', denied);
    switch (fault) {
      case 'throttle':
        return sendError(res, json, 503, json ? 'ThrottlingException' : 'RequestLimitExceeded', 'Request limit exceeded.');
      case 'http500':
        return sendError(res, json, 500, json ? 'InternalServerError' : 'InternalError', 'An internal error has occurred.');
      case 'http503':
        return sendError(res, json, 503, json ? 'ServiceUnavailable' : 'Unavailable', "The server is overloaded and can't handle the request.");
      case 'reset':
        return req.socket.destroy();
      case 'hang':
        return; // the client's timeout ends it
    }
    const params = new URLSearchParams(body.toString());
    const written = ROUTE_WRITES.has(action) ? params.get('RouteTableId') : ADDRESS_WRITES.has(action) ? params.get('AllocationId') : null;
    const staleFor = written && stale && (stale.only?.(written) ?? true) ? stale : undefined;
    let answer;
    try {
      const before = written && staleFor ? await (ROUTE_WRITES.has(action) ? routeSetNow(req, written) : addressNow(req, written)) : undefined;
      answer = await forward(req, body);
      // The window opens when moto made the change, whether or not its answer reaches the client.
      if (written && staleFor && before !== undefined && answer.status === 200) {
        const minMs = staleFor.minMs ?? 0;
        const until = Date.now() + minMs + staleRandom() * (staleFor.maxMs - minMs);
        previous.set(written, { routeSet: before, until });
      }
    } catch {
      return req.socket.destroy();
    }
    if (fault === 'reset-after') return req.socket.destroy();
    if (fault === 'hang-after') return;
    const partsOf = action === 'DescribeRouteTables' ? routeSets : action === 'DescribeAddresses' ? addressItems : undefined;
    if (partsOf && answer.status === 200 && previous.size > 0) {
      const xml = answer.body.toString();
      const view = Buffer.from(staleView(xml, partsOf(xml)));
      answer = { ...answer, body: view, headers: { ...answer.headers, 'content-length': String(view.length) } };
    }
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  };

  const listen = async (faulty: boolean) => {
    const server = createServer((req, res) => {
      handle(req, res, faulty).catch(() => req.socket.destroy());
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    return { server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
  };
  const [main, faultFree] = [await listen(true), await listen(false)];

  return {
    url: main.url,
    faultFreeUrl: faultFree.url,
    setRate: (r) => (rate = r),
    setStale: (s) => (stale = s),
    staleAnswers: () => staleAnswers,
    staleUntil: (ids) => Math.max(0, ...ids.map((id) => previous.get(id)?.until ?? 0)),
    counts: () => ({ ...counts }),
    mutatingCount: () => Object.entries(counts).filter(([action]) => !READ_ONLY.test(action)).reduce((sum, [, n]) => sum + n, 0),
    faults: () => ({ ...faults }),
    resetCounts: () => {
      counts = {};
      faults = {};
      staleAnswers = 0;
    },
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all([main, faultFree].map(({ server }) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}

/**
 * EC2 and the other query APIs name the action in the form body; JSON APIs in X-Amz-Target; REST APIs (Route53,
 * EventBridge Scheduler) only by method and path, so they are counted as e.g. "POST /2013-04-01/hostedzone/Z1/rrset".
 */
function actionOf(req: IncomingMessage, body: Buffer): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').pop() ?? target;
  const url = new URL(req.url ?? '/', 'http://x');
  return new URLSearchParams(body.toString()).get('Action') ?? url.searchParams.get('Action') ?? `${req.method ?? 'POST'} ${url.pathname}`;
}

/**
 * Each table's <routeSet> in a DescribeRouteTables answer, with where it sits. The table's id is the last
 * <routeTableId> before it (its associations name the same table), and a routeSet holds no routeTableId.
 */
function routeSets(xml: string): Array<{ routeTableId: string; routeSet: string; start: number; end: number }> {
  const found = [];
  for (const match of xml.matchAll(/<routeSet>[\s\S]*?<\/routeSet>|<routeSet\/>/g)) {
    const start = match.index;
    const idAt = xml.lastIndexOf('<routeTableId>', start) + '<routeTableId>'.length;
    found.push({ routeTableId: xml.slice(idAt, xml.indexOf('<', idAt)), routeSet: match[0], start, end: start + match[0].length });
  }
  return found;
}

/**
 * Each address <item> of a DescribeAddresses answer, keyed by its allocation id, with where it sits (in the
 * shape routeSets returns). Items nest (tags are <item>s too): only the outermost count.
 */
function addressItems(xml: string): Array<{ routeTableId: string; routeSet: string; start: number; end: number }> {
  const found = [];
  let depth = 0;
  let start = 0;
  for (const match of xml.matchAll(/<\/?item>/g)) {
    if (match[0] === '<item>' && depth++ === 0) start = match.index;
    if (match[0] === '</item>' && --depth === 0) {
      const end = match.index + match[0].length;
      const item = xml.slice(start, end);
      const id = /<allocationId>([^<]*)<\/allocationId>/.exec(item)?.[1];
      if (id) found.push({ routeTableId: id, routeSet: item, start, end });
    }
  }
  return found;
}

/** Errors shaped as AWS sends them: EC2's XML envelope, or the JSON protocol's __type. */
function sendError(res: ServerResponse, json: boolean, status: number, code: string, message: string): void {
  const requestId = randomUUID();
  const body = json
    ? JSON.stringify({ __type: code, message })
    : `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
  res.writeHead(status, { 'content-type': json ? 'application/x-amz-json-1.1' : 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId });
  res.end(body);
}

/** A small seedable PRNG, so a failing fault sequence can be replayed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
