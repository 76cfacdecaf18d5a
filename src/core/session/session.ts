import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { EC2Client } from '@aws-sdk/client-ec2';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { PricingClient } from '@aws-sdk/client-pricing';
import type { Route53Client } from '@aws-sdk/client-route-53';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { CallListener } from './callLog';
import { explainError } from './errors';

/** Which account/role, region and endpoint a set of clients talks to. */
export interface SessionSpec {
  profile?: string;
  /** An Organizations member account: this role is assumed with `profile`'s credentials. */
  roleArn?: string;
  region: string;
  endpointUrl?: string;
}

interface SdkClient {
  middlewareStack: {
    add(middleware: unknown, options: { step: 'initialize'; name: string; override?: boolean }): void;
  };
  destroy(): void;
}

type ClientCtor<C> = new (config: {
  region: string;
  endpoint?: string;
  credentials: AwsCredentialIdentityProvider;
  retryMode: string;
  maxAttempts: number;
  requestHandler?: { requestTimeout: number; throwOnRequestTimeout: boolean };
}) => C;

/* eslint-disable @typescript-eslint/no-require-imports -- each require is the lazy load of one SDK client */
/**
 * Each service's client class. EC2 and STS serve every view; the others are required on first use of their
 * service, and the build points those requires at one small bundle per client (dist/aws-client-<service>.js),
 * so the bundle that discovers VIPs and pairs carries no other SDK client.
 */
const SERVICE_CTORS = {
  ec2: () => EC2Client,
  sts: () => STSClient,
  cloudformation: (): typeof CloudFormationClient => require('@aws-sdk/client-cloudformation').CloudFormationClient,
  route53: (): typeof Route53Client => require('@aws-sdk/client-route-53').Route53Client,
  ssm: (): typeof SSMClient => require('@aws-sdk/client-ssm').SSMClient,
  scheduler: (): typeof SchedulerClient => require('@aws-sdk/client-scheduler').SchedulerClient,
  iam: (): typeof IAMClient => require('@aws-sdk/client-iam').IAMClient,
  pricing: (): typeof PricingClient => require('@aws-sdk/client-pricing').PricingClient,
} as const;
/* eslint-enable @typescript-eslint/no-require-imports */

export type ServiceName = keyof typeof SERVICE_CTORS;
type ServiceClient<S extends ServiceName> = InstanceType<ReturnType<(typeof SERVICE_CTORS)[S]>>;

/** Clients of one (profile, region, endpoint), each created on first use, adaptive retry, every call logged. */
export class AwsSession {
  private readonly clients = new Map<ServiceName, SdkClient>();

  constructor(
    readonly spec: SessionSpec,
    private readonly credentials: AwsCredentialIdentityProvider,
    private readonly onCall: CallListener,
    private readonly maxAttempts = 5,
    /** Abandons (and retries) a request that got no answer in this time; unset = the SDK's default. */
    private readonly requestTimeoutMs?: number,
  ) {}

  client<S extends ServiceName>(service: S): ServiceClient<S> {
    let client = this.clients.get(service);
    if (!client) {
      const Ctor = SERVICE_CTORS[service]() as unknown as ClientCtor<SdkClient>;
      client = new Ctor({
        region: this.spec.region,
        endpoint: this.spec.endpointUrl,
        credentials: this.credentials,
        retryMode: 'adaptive',
        maxAttempts: this.maxAttempts,
        requestHandler: this.requestTimeoutMs === undefined ? undefined : { requestTimeout: this.requestTimeoutMs, throwOnRequestTimeout: true },
      });
      client.middlewareStack.add(this.recordingMiddleware(service), { step: 'initialize', name: 'awsOpsCallLog' });
      this.clients.set(service, client);
    }
    return client as ServiceClient<S>;
  }

  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }

  private recordingMiddleware(service: ServiceName) {
    const region = this.spec.region;
    const onCall = this.onCall;
    return (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
      async (args: unknown) => {
        const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        const started = performance.now();
        try {
          const result = await next(args);
          onCall({ service, operation, region, ok: true, ms: performance.now() - started });
          return result;
        } catch (error) {
          onCall({ service, operation, region, ok: false, errorCode: explainError(error).code, ms: performance.now() - started });
          throw error;
        }
      };
  }
}

/** Remembers resolved credentials until shortly before they expire, so every region shares one sign-in. */
export function memoizeCredentials(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let cached: Promise<AwsCredentialIdentity> | undefined;
  const fresh = (c: AwsCredentialIdentity) => !c.expiration || c.expiration.getTime() - Date.now() > 5 * 60_000;
  return async () => {
    if (cached) {
      const value = await cached.catch(() => undefined);
      if (value && fresh(value)) return value;
    }
    cached = provider();
    return cached;
  };
}
