/** Names of what a jumpbox schedule creates in AWS (pure, so the views can link to them without the SDK). */
export type ScheduleKind = 'start' | 'stop';

export const SCHEDULER_ROLE_PATH = '/awsops/';

export function scheduleName(instanceId: string, kind: ScheduleKind): string {
  return `awsops-${instanceId}-${kind}`;
}

export function schedulerRoleName(instanceId: string): string {
  return `awsops-jumpbox-${instanceId}`;
}

/** The one-time schedule that ends a Keep Running/Stopped Until… override. */
export function overrideScheduleName(instanceId: string): string {
  return `awsops-${instanceId}-override`;
}
