import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { TEST_SECRET_MARK } from './fakeAwsVault';

/**
 * A local stand-in for the AWS federation endpoint (https://signin.aws.amazon.com/federation):
 * `GET ?Action=getSigninToken&Session={"sessionId","sessionKey","sessionToken"}` → `{"SigninToken": "..."}`.
 */
export interface FederationStandIn {
  /** Pass as the federation endpoint. */
  url: string;
  /** ok: answers like AWS; refuse: HTTP 400 whose body echoes the secret key; garbage: HTML; hang: never answers. */
  mode: 'ok' | 'refuse' | 'garbage' | 'hang';
  /** What arrived, without the secrets. */
  requests: Array<{ action: string | null; sessionId?: string; hadSessionToken: boolean }>;
  stop(): Promise<void>;
}

/** With `tls` (a key and certificate in PEM) it answers over HTTPS, as the real endpoint does. */
export async function startFederationStandIn(options: { tls?: { key: string; cert: string } } = {}): Promise<FederationStandIn> {
  const standIn: Omit<FederationStandIn, 'url' | 'stop'> = { mode: 'ok', requests: [] };
  const handler = (request: IncomingMessage, response: ServerResponse) => answer(standIn, request, response);
  const server = options.tls ? createTlsServer(options.tls, handler) : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return Object.assign(standIn, {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/federation`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

function answer(standIn: Omit<FederationStandIn, 'url' | 'stop'>, request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://stand-in');
  const action = url.searchParams.get('Action');
  let session: { sessionId?: unknown; sessionKey?: unknown; sessionToken?: unknown } = {};
  try {
    session = JSON.parse(url.searchParams.get('Session') ?? '{}');
  } catch {
    // answered as a bad request below
  }
  standIn.requests.push({
    action,
    sessionId: typeof session.sessionId === 'string' ? session.sessionId : undefined,
    hadSessionToken: typeof session.sessionToken === 'string' && session.sessionToken.length > 0,
  });
  if (standIn.mode === 'hang') return;
  const complete = [session.sessionId, session.sessionKey, session.sessionToken].every((v) => typeof v === 'string' && v);
  if (url.pathname !== '/federation' || action !== 'getSigninToken' || !complete || standIn.mode === 'refuse') {
    response.writeHead(400, { 'content-type': 'text/html' }).end(`<html>Bad request for key ${String(session.sessionKey)}</html>`);
    return;
  }
  if (standIn.mode === 'garbage') {
    response.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
    return;
  }
  const token = TEST_SECRET_MARK + randomBytes(180).toString('base64url');
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ SigninToken: token }));
}
