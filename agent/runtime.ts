/** What the agent's handler works with: SDK clients, its configuration (from the stack), a clock and a log. */
import { EC2Client } from '@aws-sdk/client-ec2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SSMClient } from '@aws-sdk/client-ssm';
import { HOLIDAYS_PARAMETER } from '../src/core/jumpbox/agentStack';

export interface AgentConfig {
  /** Setting awsops.jumpboxTagKey when the agent was installed. */
  jumpboxTagKey: string;
  /** The hosted zone ids setting awsops.dnsZones resolved to at install: the only zones the agent writes in. */
  dnsZones: string[];
  /** SSM parameter holding the holidays (a JSON list of YYYY-MM-DD), written from setting awsops.holidays. */
  holidaysParameter: string;
  /** Longest wait for Route53 INSYNC, within the function's timeout. */
  dnsWaitSeconds: number;
}

export interface AgentRuntime {
  ec2: EC2Client;
  route53: Route53Client;
  ssm: SSMClient;
  config: AgentConfig;
  now(): Date;
  log(message: string): void;
}

/** As Lambda runs it: the region and credentials come from the environment, the rest from the stack's variables. */
export function runtimeFromEnv(env: NodeJS.ProcessEnv = process.env): AgentRuntime {
  return {
    ec2: new EC2Client({}),
    route53: new Route53Client({}),
    ssm: new SSMClient({}),
    config: {
      jumpboxTagKey: env.JUMPBOX_TAG_KEY || 'awsops:jumpbox',
      dnsZones: (env.DNS_ZONES ?? '').split(',').map((zone) => zone.trim()).filter(Boolean),
      holidaysParameter: env.HOLIDAYS_PARAMETER || HOLIDAYS_PARAMETER,
      dnsWaitSeconds: Number(env.DNS_WAIT_SECONDS) || 90,
    },
    now: () => new Date(),
    log: (message) => console.log(message),
  };
}
