/**
 * The route keeper: a systemd timer that re-runs the notify script in "keep" mode. keepalived runs notify_master once;
 * if the EC2 API was unreachable at that moment, nothing else would ever move the routes to the new master.
 */
import { DEFAULT_NODE_PATHS, type NodePaths } from './nodePaths';

export interface SystemdUnit {
  /** File name under the systemd unit directory, e.g. awsops-route-keeper.timer. */
  name: string;
  content: string;
}

export interface RouteKeeperInput {
  pairName: string;
  intervalSeconds?: number;
  paths?: NodePaths;
}

export const ROUTE_KEEPER_SERVICE = 'awsops-route-keeper.service';
export const ROUTE_KEEPER_TIMER = 'awsops-route-keeper.timer';
export const DEFAULT_KEEPER_INTERVAL_SECONDS = 10;

export function renderRouteKeeperUnits(input: RouteKeeperInput): { service: SystemdUnit; timer: SystemdUnit } {
  const paths = input.paths ?? DEFAULT_NODE_PATHS;
  const interval = input.intervalSeconds ?? DEFAULT_KEEPER_INTERVAL_SECONDS;
  const service = [
    '[Unit]',
    `Description=AWS Ops route keeper for HA pair ${input.pairName}: while keepalived is MASTER, keep the VIP routes here`,
    'After=keepalived.service',
    '',
    '[Service]',
    'Type=oneshot',
    // Exits at once on a BACKUP node; on the MASTER it logs every table it had to move (journalctl -t awsops-notify).
    `ExecStart=${paths.notifyScript} keep`,
    'TimeoutStartSec=60',
  ];
  const timer = [
    '[Unit]',
    `Description=Check the VIP routes of HA pair ${input.pairName} every ${interval} s`,
    '',
    '[Timer]',
    'OnBootSec=30s',
    `OnUnitActiveSec=${interval}s`,
    'AccuracySec=1s',
    '',
    '[Install]',
    'WantedBy=timers.target',
  ];
  return {
    service: { name: ROUTE_KEEPER_SERVICE, content: service.join('\n') + '\n' },
    timer: { name: ROUTE_KEEPER_TIMER, content: timer.join('\n') + '\n' },
  };
}
