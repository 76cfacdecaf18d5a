/**
 * Every path and binary the generated node configs name. Production defaults fit Amazon Linux 2023 (and Debian);
 * tests pass their own directories, pid files and so on, so the very same generators run unchanged in a sandbox.
 */
export interface NodePaths {
  /** Shell-sourced settings of this node: VIP, route tables, region, ENI, optional endpoints. */
  pairConf: string;
  /** The pair's route table ids, one a line, when there are too many for pair.conf (kept apart so user data can gzip it). */
  routeTablesFile: string;
  /** The route mover keepalived runs on MASTER (also the state recorder and the route keeper's check). */
  notifyScript: string;
  /** Written by keepalived's generic `notify`: the instance's current state (MASTER, BACKUP, FAULT, STOP). */
  stateFile: string;
  /** "1" while haproxy is down or hung, "0" while it answers: written by the haproxy watcher, watched by keepalived. */
  haproxyDownFile: string;
  /** Serialises route moves between keepalived's notify and the route keeper. */
  lockFile: string;
  /** keepalived's pid file: a MASTER state left behind by a killed keepalived must not move routes. */
  keepalivedPidFile: string;
  keepalivedConf: string;
  haproxyCfg: string;
  haproxySocket: string;
  /** haproxy's log target (a syslog socket or address). */
  haproxyLog: string;
  systemdDir: string;
  /** Scripts started by keepalived get a bare environment: binaries are named by absolute path. */
  bin: { curl: string; logger: string; flock: string; ip: string; haproxy: string };
}

export const DEFAULT_NODE_PATHS: NodePaths = {
  pairConf: '/etc/awsops/pair.conf',
  routeTablesFile: '/etc/awsops/route-tables',
  notifyScript: '/usr/local/sbin/awsops-notify',
  stateFile: '/run/awsops/keepalived.state',
  haproxyDownFile: '/run/awsops/haproxy.down',
  lockFile: '/run/awsops/routes.lock',
  keepalivedPidFile: '/run/keepalived.pid',
  keepalivedConf: '/etc/keepalived/keepalived.conf',
  haproxyCfg: '/etc/haproxy/haproxy.cfg',
  haproxySocket: '/var/lib/haproxy/admin.sock',
  haproxyLog: '/dev/log',
  systemdDir: '/etc/systemd/system',
  bin: { curl: '/usr/bin/curl', logger: '/usr/bin/logger', flock: '/usr/bin/flock', ip: '/usr/sbin/ip', haproxy: '/usr/sbin/haproxy' },
};

/** haproxy's HTTP port for /healthz (keepalived's check) and /stats (reachable from the VPC only). */
export const DEFAULT_STATS_PORT = 8404;
export const HEALTH_PATH = '/healthz';
