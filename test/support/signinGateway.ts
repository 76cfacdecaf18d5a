import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFederationStandIn, type FederationStandIn } from './federationStandIn';

/** The host the product signs in at (hosts.ts, commercial partition): the only one the gateway lets through. */
export const SIGNIN_HOST = 'signin.aws.amazon.com';

/**
 * The AWS federation endpoint, offline, at its real address: an HTTP proxy that tunnels only
 * `CONNECT signin.aws.amazon.com:443`, to the federation stand-in serving a certificate for that host from a
 * throwaway CA. A process started with `env` (proxy and CA) reaches https://signin.aws.amazon.com/federation as
 * it would in AWS, TLS verified, without any setting of the product pointing elsewhere.
 */
export interface SigninGateway {
  /**
   * For the process to use, as on a machine behind a proxy with its own CA: HTTPS_PROXY, NO_PROXY (loopback: moto,
   * code-server), the CA as a system certificate (SSL_CERT_FILE: VS Code's own proxy agent trusts the system
   * store) and for Node (NODE_EXTRA_CA_CERTS, NODE_USE_ENV_PROXY: a fetch VS Code does not patch).
   */
  env: Record<string, string>;
  standIn: FederationStandIn;
  stop(): Promise<void>;
}

export async function startSigninGateway(): Promise<SigninGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'aws-ops-signin-'));
  const cleanups: Array<() => unknown> = [() => rmSync(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const pem = issueCertificate(dir, SIGNIN_HOST);
    const standIn = await startFederationStandIn({ tls: pem });
    cleanups.push(() => standIn.stop());
    const proxy = await startTunnelProxy(`${SIGNIN_HOST}:443`, Number(new URL(standIn.url).port));
    cleanups.push(() => proxy.stop());
    const env = {
      HTTPS_PROXY: proxy.url,
      https_proxy: proxy.url,
      NO_PROXY: '127.0.0.1,localhost',
      no_proxy: '127.0.0.1,localhost',
      NODE_USE_ENV_PROXY: '1',
      NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem'),
      SSL_CERT_FILE: join(dir, 'ca.pem'),
    };
    return { env, standIn, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A CA and a server certificate for `host` signed by it (openssl), in `dir`; returns the server's key and chain. */
function issueCertificate(dir: string, host: string): { key: string; cert: string } {
  const file = (name: string) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  openssl('req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '2', '-subj', '/CN=aws-ops test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
  openssl('req', ...ec, '-keyout', file('host.key'), '-out', file('host.csr'), '-subj', `/CN=${host}`);
  writeFileSync(file('host.ext'), `subjectAltName=DNS:${host}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
  openssl('x509', '-req', '-in', file('host.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial',
    '-out', file('host.pem'), '-days', '2', '-extfile', file('host.ext'));
  return { key: readFileSync(file('host.key'), 'utf8'), cert: readFileSync(file('host.pem'), 'utf8') };
}

/** An HTTP proxy on 127.0.0.1 that tunnels CONNECT `target` to the local `port` and refuses everything else. */
async function startTunnelProxy(target: string, port: number): Promise<{ url: string; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server: Server = createServer((_request, response) => response.writeHead(403).end());
  server.on('connect', (request, client: Socket, head: Buffer) => {
    track(client);
    if (request.url !== target) return void client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    track(upstream);
    upstream.once('close', () => client.destroy());
    client.once('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const proxyPort = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${proxyPort}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
