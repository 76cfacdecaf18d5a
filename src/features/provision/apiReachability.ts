/** The wizard's last preflight: the nodes' subnets must have a way to the AWS APIs, or the stack adds endpoints. */
import type { PairSpec } from '../../core/provision/inputs';
import type { AwsSession } from '../../core/session/session';
import type { FeatureDeps } from '../../plumbing/commands';

export const ADD_ENDPOINTS = 'Add the endpoints to the stack';

/** The spec, with the missing interface endpoints when the user accepts them; undefined when the user declines. */
export async function withApiReachability(deps: FeatureDeps, session: AwsSession, spec: PairSpec): Promise<PairSpec | undefined> {
  const { aws } = deps.context;
  const host = deps.host();
  const way = await host.withProgress(`AWS Ops: Checking the way from pair ${spec.name}'s subnets to the AWS APIs`, () =>
    aws.checkReachability(session.client('ec2'), spec, session.spec.region),
  );
  if (way.ok) return spec;
  const choice = await host.confirm(`The nodes of pair ${spec.name} could not reach the AWS APIs.`, aws.reachabilityText(way), ADD_ENDPOINTS);
  if (choice !== ADD_ENDPOINTS) return undefined;
  return { ...spec, endpointServices: [...(spec.endpointServices ?? []), ...way.missingEndpoints] };
}
