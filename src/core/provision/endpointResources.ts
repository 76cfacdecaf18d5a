/**
 * Interface endpoints the stack adds when the wizard found no other way from the nodes' subnets to the AWS APIs
 * (reachability.ts): one per missing service in both node subnets, private DNS on so the default endpoints resolve to
 * them, HTTPS open from the VPC only.
 */
import type { Json } from './yaml';

export const ENDPOINT_SG = 'ApiEndpointSecurityGroup';

export function endpointLogicalId(service: string): string {
  return `ApiEndpoint${service.replace(/(^|[^a-z0-9])([a-z0-9])/gi, (_, __, c: string) => c.toUpperCase())}`;
}

export function endpointResources(pairName: string, vpcId: string, subnetIds: readonly string[], vpcCidrs: readonly string[], services: readonly string[], tags: Json): Record<string, Json> {
  if (services.length === 0) return {};
  const resources: Record<string, Json> = {
    [ENDPOINT_SG]: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: `HA pair ${pairName}: HTTPS from the VPC to the AWS API endpoints the nodes call`,
        VpcId: vpcId,
        SecurityGroupIngress: vpcCidrs.map((cidr) => ({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: cidr, Description: 'AWS APIs from the VPC' })),
        Tags: tags,
      },
    },
  };
  for (const service of services) {
    resources[endpointLogicalId(service)] = {
      Type: 'AWS::EC2::VPCEndpoint',
      Properties: {
        VpcEndpointType: 'Interface',
        ServiceName: { 'Fn::Sub': `com.amazonaws.\${AWS::Region}.${service}` },
        VpcId: vpcId,
        SubnetIds: [...subnetIds],
        SecurityGroupIds: [{ 'Fn::GetAtt': [ENDPOINT_SG, 'GroupId'] }],
        PrivateDnsEnabled: true,
      },
    };
  }
  return resources;
}
