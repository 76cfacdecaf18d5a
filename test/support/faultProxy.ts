import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A small HTTP proxy on 127.0.0.1 between the SDK and moto that injects the faults AWS clients meet:
 * throttling, 500/503, connection resets and requests that never answer — before the request reaches moto,
 * and after it (the change is made but the answer is lost). Counts requests by API action.
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
}

export interface FaultProxy {
  url: string;
  setRate(rate: number): void;
  /** Requests received (faulted or not) per action, e.g. { DescribeRouteTables: 3, ReplaceRoute: 2 }. */
  counts(): Record<string, number>;
  /** Received requests whose action changes something (anything but Describe*, Get*, List*). */
  mutatingCount(): number;
  faults(): Partial<Record<FaultKind, number>>;
  resetCounts(): void;
  stop(): Promise<void>;
}

const READ_ONLY = /^(Describe|Get|List)/;

/** GET this path on the proxy for its counts as JSON (for a client in another process, e.g. the extension host). */
export const COUNTS_PATH = '/__fault-proxy/counts';

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const kinds = options.kinds ?? ALL_FAULTS;
  const random = mulberry32(options.seed ?? 1);
  let rate = options.rate ?? 0;
  let counts: Record<string, number> = {};
  let faults: Partial<Record<FaultKind, number>> = {};
  const sockets = new Set<Socket>();

  const forward = (req: IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
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

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method === 'GET' && req.url === COUNTS_PATH) return void res.end(JSON.stringify(counts));
    const body = Buffer.concat(chunks);
    const action = actionOf(req, body);
    counts[action] = (counts[action] ?? 0) + 1;
    const fault = random() < rate ? kinds[Math.floor(random() * kinds.length)] : undefined;
    if (fault) faults[fault] = (faults[fault] ?? 0) + 1;
    const json = !!req.headers['x-amz-target'];
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
    let answer;
    try {
      answer = await forward(req, body);
    } catch {
      return req.socket.destroy();
    }
    if (fault === 'reset-after') return req.socket.destroy();
    if (fault === 'hang-after') return;
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    setRate: (r) => (rate = r),
    counts: () => ({ ...counts }),
    mutatingCount: () => Object.entries(counts).filter(([action]) => !READ_ONLY.test(action)).reduce((sum, [, n]) => sum + n, 0),
    faults: () => ({ ...faults }),
    resetCounts: () => {
      counts = {};
      faults = {};
    },
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** EC2 and the other query APIs name the action in the form body; JSON APIs in X-Amz-Target. */
function actionOf(req: IncomingMessage, body: Buffer): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').pop() ?? target;
  return new URLSearchParams(body.toString()).get('Action') ?? new URL(req.url ?? '/', 'http://x').searchParams.get('Action') ?? 'Unknown';
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
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
