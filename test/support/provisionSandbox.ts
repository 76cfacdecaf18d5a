import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_NODE_PATHS, type NodePaths } from '../../src/core/provision/nodePaths';
import type { NodeFile } from '../../src/core/provision/userData';

/** A temp directory standing in for a node's root: every generated path points inside it. */
export interface Sandbox {
  root: string;
  paths: NodePaths;
  write(files: NodeFile[]): void;
  remove(): void;
}

export function makeSandbox(prefix: string): Sandbox {
  const root = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const inside = (path: string) => join(root, path);
  const paths: NodePaths = {
    ...DEFAULT_NODE_PATHS,
    pairConf: inside('etc/awsops/pair.conf'),
    routeTablesFile: inside('etc/awsops/route-tables'),
    notifyScript: inside('usr/local/sbin/awsops-notify'),
    stateFile: inside('run/awsops/keepalived.state'),
    haproxyDownFile: inside('run/awsops/haproxy.down'),
    lockFile: inside('run/awsops/routes.lock'),
    keepalivedPidFile: inside('run/keepalived.pid'),
    keepalivedConf: inside('etc/keepalived/keepalived.conf'),
    haproxyCfg: inside('etc/haproxy/haproxy.cfg'),
    haproxySocket: inside('run/haproxy/admin.sock'),
    systemdDir: inside('etc/systemd/system'),
  };
  return {
    root,
    paths,
    write(files) {
      for (const file of files) {
        mkdirSync(dirname(file.path), { recursive: true });
        writeFileSync(file.path, file.content);
        chmodSync(file.path, Number.parseInt(file.mode, 8));
      }
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
