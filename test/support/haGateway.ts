/**
 * The EC2 (and CloudFormation signal) endpoint of the HA rig, run inside its `aws` namespace: the nodes' notify scripts
 * call it on TCP and it forwards to moto, answering requests that name a throttled route table with EC2's throttling error. The test process
 * reaches moto unfaulted through the gateway's unix socket, sets the faults there and reads the calls the nodes made.
 * Usage: node haGateway.js LISTEN_IP:PORT SOCKET_PATH MOTO_PORT
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';

export interface GatewayFaults {
  /** Requests naming one of these route tables get 503 RequestLimitExceeded, as a throttled EC2 API answers. */
  throttleTables: string[];
}

/** One EC2 call a node made through the gateway. */
export interface GatewayCall {
  /** Date.now() when the answer went out. */
  at: number;
  source: string;
  action: string;
  routeTableIds: string[];
  status: number;
  /** SignalResource (a node's readiness signal): answered here, as CloudFormation would, and kept for the test. */
  signal?: { stackName: string; logicalResourceId: string; uniqueId: string; status: string };
}

export const FAULTS_PATH = '/__ha-rig/faults';
export const CALLS_PATH = '/__ha-rig/calls';

const THROTTLED =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>RequestLimitExceeded</Code>' +
  '<Message>Request limit exceeded.</Message></Error></Errors><RequestID>ha-rig</RequestID></Response>';

function main(argv: string[]): void {
  const [listen, socketPath, motoPort] = argv;
  const [host, port] = listen.split(':');
  let faults: GatewayFaults = { throttleTables: [] };
  const calls: GatewayCall[] = [];

  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse, done: (status: number) => void) => {
    const upstream = request(
      { host: '127.0.0.1', port: Number(motoPort), method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', () => done(answer.statusCode ?? 502));
      },
    );
    upstream.on('error', () => res.destroy());
    upstream.end(body);
  };

  const fromNodes = createServer((req, res) => {
    void readBody(req).then((body) => {
      const params = new URLSearchParams(body.toString('utf8'));
      const action = params.get('Action') ?? '?';
      const routeTableIds = [...params].filter(([key]) => /^RouteTableId(\.\d+)?$/.test(key)).map(([, value]) => value);
      const record = (status: number) =>
        calls.push({ at: Date.now(), source: req.socket.remoteAddress ?? '?', action, routeTableIds, status });
      if (action === 'SignalResource') {
        const get = (key: string) => params.get(key) ?? '';
        calls.push({
          at: Date.now(), source: req.socket.remoteAddress ?? '?', action, routeTableIds, status: 200,
          signal: { stackName: get('StackName'), logicalResourceId: get('LogicalResourceId'), uniqueId: get('UniqueId'), status: get('Status') },
        });
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end('<SignalResourceResponse><ResponseMetadata><RequestId>ha-rig</RequestId></ResponseMetadata></SignalResourceResponse>');
        return;
      }
      if (routeTableIds.some((id) => faults.throttleTables.includes(id))) {
        res.writeHead(503, { 'content-type': 'text/xml' });
        res.end(THROTTLED);
        record(503);
        return;
      }
      forward(req, body, res, record);
    });
  });

  const fromTest = createServer((req, res) => {
    void readBody(req).then((body) => {
      if (req.url === FAULTS_PATH && req.method === 'PUT') {
        faults = JSON.parse(body.toString('utf8')) as GatewayFaults;
        res.end('{}');
      } else if (req.url === CALLS_PATH) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(calls));
      } else {
        forward(req, body, res, () => undefined);
      }
    });
  });

  fromNodes.listen(Number(port), host);
  fromTest.listen(socketPath);
  const stop = () => {
    fromNodes.close();
    fromTest.close(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

if (require.main === module) main(process.argv.slice(2));
