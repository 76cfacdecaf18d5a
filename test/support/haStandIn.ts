/**
 * What an EC2 instance finds around it, for one node of the HA rig (Python, run inside the node's namespace):
 * an IMDSv2 stand-in at 169.254.169.254:80 (token, instance-id, region, MAC → ENI, the role's credentials) and the
 * backend haproxy balances to, on 127.0.0.1:8080, answering the node's name.
 * Python because haproxy binds *:80 in the same namespace: both sockets need SO_REUSEPORT (node 20 cannot set it),
 * and the more specific address wins the metadata traffic.
 */
export const STAND_IN_ROLE = 'awsops-pair-node';

export interface StandInIdentity {
  name: string;
  instanceId: string;
  region: string;
  eniId: string;
  mac: string;
}

export function standInArgs(identity: StandInIdentity): string[] {
  return ['-c', STAND_IN_PY, identity.name, identity.instanceId, identity.region, identity.eniId, identity.mac];
}

const STAND_IN_PY = String.raw`
import http.server, json, secrets, socket, socketserver, sys, threading
name, instance_id, region, eni, mac = sys.argv[1:6]
role = ${JSON.stringify(STAND_IN_ROLE)}
token = secrets.token_hex(16)
creds = {"Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": "testing", "SecretAccessKey": "testing",
         "Token": "testing-session", "Expiration": "2099-01-01T00:00:00Z"}
meta = {"instance-id": instance_id, "placement/region": region, "mac": mac,
        "network/interfaces/macs/%s/interface-id" % mac: eni,
        "iam/security-credentials/": role, "iam/security-credentials/" + role: json.dumps(creds)}

class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    def server_bind(self):
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        socketserver.TCPServer.server_bind(self)  # HTTPServer's own would look the address up in DNS
        self.server_name, self.server_port = self.server_address[:2]

class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, status, text):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass

class Imds(Handler):
    def do_PUT(self):
        if self.path == "/latest/api/token" and self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
            self.reply(200, token)
        else:
            self.reply(400, "")
    def do_GET(self):
        if self.headers.get("X-aws-ec2-metadata-token") != token:
            return self.reply(401, "")
        value = meta.get(self.path.removeprefix("/latest/meta-data/"))
        self.reply(200, value) if value is not None else self.reply(404, "")

class Backend(Handler):
    def do_GET(self):
        self.reply(200, name + "\n")

backend = Server(("127.0.0.1", 8080), Backend)
threading.Thread(target=backend.serve_forever, daemon=True).start()
Server(("169.254.169.254", 80), Imds).serve_forever()
`;
