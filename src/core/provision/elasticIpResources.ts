/**
 * A public pair's Elastic IP in the pair's template: allocated by the stack (or an existing allocation adopted),
 * associated with node A's ENI (the first MASTER), and a node-role statement that lets the nodes associate only
 * that allocation, and only with the pair's own two ENIs.
 */
import type { PairSpec } from './inputs';
import type { Json } from './yaml';

export const ELASTIC_IP_LOGICAL_ID = 'ElasticIp';

export interface ElasticIpParts {
  resources: { [key: string]: Json };
  /** Added to the node role's policy. */
  statements: Json[];
  /** The allocation id: the adopted one, or the stack's allocation. */
  allocation: Json;
}

export function elasticIpParts(elasticIp: NonNullable<PairSpec['elasticIp']>, tags: Json, eniLogicalIds: readonly string[]): ElasticIpParts {
  const adopted = elasticIp.allocationId;
  const allocation: Json = adopted ?? { 'Fn::GetAtt': [ELASTIC_IP_LOGICAL_ID, 'AllocationId'] };
  const arn = (resource: string) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:ec2:\${AWS::Region}:\${AWS::AccountId}:${resource}` });
  return {
    resources: {
      ...(adopted ? {} : { [ELASTIC_IP_LOGICAL_ID]: { Type: 'AWS::EC2::EIP', Properties: { Domain: 'vpc', Tags: tags } } }),
      ElasticIpAssociation: {
        Type: 'AWS::EC2::EIPAssociation',
        Properties: { AllocationId: allocation, NetworkInterfaceId: { Ref: eniLogicalIds[0] } },
      },
    },
    statements: [
      {
        Sid: 'MoveThisPairsElasticIpOnly',
        Effect: 'Allow',
        Action: 'ec2:AssociateAddress',
        // EC2 authorizes AssociateAddress on the address and on the ENI it goes to: both are named.
        Resource: [
          adopted ? arn(`elastic-ip/${adopted}`) : arn(`elastic-ip/\${${ELASTIC_IP_LOGICAL_ID}.AllocationId}`),
          ...eniLogicalIds.map((id) => arn(`network-interface/\${${id}}`)),
        ],
      },
      // Describe calls cannot be scoped to resources; the notify script reads the association back.
      { Sid: 'ReadElasticIpBack', Effect: 'Allow', Action: 'ec2:DescribeAddresses', Resource: '*' },
    ],
    allocation,
  };
}
