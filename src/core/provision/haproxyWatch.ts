/**
 * The haproxy watcher: a service that checks haproxy's health URL every 0.2 s and flips a file keepalived tracks
 * (inotify), so a dead or hung haproxy fails over in well under a second instead of keepalived's 1 s script cadence.
 */
import { DEFAULT_NODE_PATHS, DEFAULT_STATS_PORT, HEALTH_PATH, type NodePaths } from './nodePaths';
import type { SystemdUnit } from './routeKeeper';

export const HAPROXY_WATCH_SERVICE = 'awsops-haproxy-watch.service';

export function renderHaproxyWatchUnit(pairName: string, paths: NodePaths = DEFAULT_NODE_PATHS, statsPort = DEFAULT_STATS_PORT): SystemdUnit {
  const lines = [
    '[Unit]',
    `Description=AWS Ops haproxy watcher for HA pair ${pairName}: tells keepalived within a second when haproxy stops answering`,
    'After=haproxy.service',
    'Before=keepalived.service',
    '',
    '[Service]',
    `ExecStart=${paths.notifyScript} watch http://127.0.0.1:${statsPort}${HEALTH_PATH}`,
    // Should it die anyway, keepalived's own once-a-second HTTP check still catches a failed haproxy.
    'Restart=always',
    'RestartSec=1',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
  ];
  return { name: HAPROXY_WATCH_SERVICE, content: lines.join('\n') + '\n' };
}
