// What DescribeInstanceStatus tells about one instance, apart from the call itself: the views and the
// failover planning judge it without loading the SDK.

/** An instance's state and its two EC2 status checks, as DescribeInstanceStatus reports them. */
export interface StatusCheck {
  state: string;
  /** 'ok' | 'impaired' | 'initializing' | 'insufficient-data' | 'not-applicable' */
  system: string;
  instance: string;
}

export function statusChecksOk(status: StatusCheck | undefined): boolean {
  return status?.system === 'ok' && status.instance === 'ok';
}
