/**
 * The CloudFormation template of one HA pair, as plain data. Each node gets its ENI as a separate resource: both
 * nodes' IPs are then known before either instance launches (each keepalived.conf names its peer), and the VIP routes
 * exist before any keepalived runs, so a node's CreateRoute fallback can never race the stack's own routes.
 */
import { ELASTIC_IP_LOGICAL_ID, elasticIpParts } from './elasticIpResources';
import type { PairSpec } from './inputs';
import type { NodeRole } from './keepalived';
import { endpointLogicalId, endpointResources } from './endpointResources';
import { DEFAULT_STATS_PORT } from './nodePaths';
import { DEPLOY_TIME_VALUES, deployTimeValue, filledBytes, MAX_ROUTE_TABLE_ARNS, renderUserData, type NodeUserDataInput } from './userData';
import { toYaml, type Json } from './yaml';

export type CfnTemplate = { [key: string]: Json };

export interface TemplateOptions {
  /** IPv4 CIDRs of the VPC: the stats/health port is open to these only. */
  vpcCidrs: string[];
  /** The tag key that marks the pair's resources (setting awsops.pairTagKey); the value is the pair name. */
  pairTagKey?: string;
}

export const DEFAULT_PAIR_TAG_KEY = 'awsops:pair';
/** Logical ids the deploy and teardown code look up in the stack. */
export const NODE_LOGICAL_IDS: Record<NodeRole, { instance: string; eni: string }> = {
  a: { instance: 'NodeA', eni: 'NodeAEni' },
  b: { instance: 'NodeB', eni: 'NodeBEni' },
};
const SG = 'NodeSecurityGroup';
const ROUTES_DONE = 'VipRoutesCreated';

/** Package install and boot take a few minutes; the node itself gives up (and signals FAILURE) after READY_TIMEOUT_SECONDS. */
export const NODE_READY_TIMEOUT = 'PT20M';
const ROLES: readonly NodeRole[] = ['a', 'b'];

export function buildPairTemplate(spec: PairSpec, options: TemplateOptions): CfnTemplate {
  const tagKey = options.pairTagKey ?? DEFAULT_PAIR_TAG_KEY;
  const tags = (name?: string): Json => [
    { Key: tagKey, Value: spec.name },
    ...(name ? [{ Key: 'Name', Value: name }] : []),
  ];
  // Many tables would not fit an inline template as route resources: node A creates those routes when it becomes
  // MASTER (the notify script's CreateRoute fallback), and its readiness signal waits until every table routes to it.
  const stackRoutes = spec.routeTableIds.length <= MAX_ROUTE_TABLE_ARNS ? spec.routeTableIds : [];
  const routeIds = stackRoutes.map((id) => `VipRoute${pascal(id)}`);
  const eip = spec.elasticIp && elasticIpParts(spec.elasticIp, tags(`${spec.name}-public`), ROLES.map((r) => NODE_LOGICAL_IDS[r].eni));
  const resources: { [key: string]: Json } = {
    NodeRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        Description: `HA pair ${spec.name}: move the VIP routes; SSM access for health checks`,
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        Policies: [
          {
            PolicyName: 'vip-routes',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                // A public-only pair moves no routes: its role gets no route statement at all.
                ...(spec.routeTableIds.length ? [routeMoveStatement(spec)] : []),
                {
                  Sid: 'SignalReadinessToThisStackOnly',
                  Effect: 'Allow',
                  Action: 'cloudformation:SignalResource',
                  Resource: { Ref: 'AWS::StackId' },
                },
                // Describe calls cannot be scoped to resources; the notify script reads its routes back.
                ...(spec.routeTableIds.length ? [{ Sid: 'ReadRoutesBack', Effect: 'Allow', Action: 'ec2:DescribeRouteTables', Resource: '*' }] : []),
                ...(eip?.statements ?? []),
              ],
            },
          },
          ssmRunCommandPolicy(),
        ],
        Tags: tags(),
      },
    },
    NodeInstanceProfile: { Type: 'AWS::IAM::InstanceProfile', Properties: { Roles: [{ Ref: 'NodeRole' }] } },
    [SG]: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: `HA pair ${spec.name}: haproxy from ${spec.clientCidr}, stats from the VPC, VRRP between the nodes`,
        VpcId: spec.vpcId,
        SecurityGroupIngress: ingressRules(spec, options.vpcCidrs),
        Tags: tags(`${spec.name}-nodes`),
      },
    },
    // VRRP is IP protocol 112, also in unicast mode; a separate resource because the rule names its own group.
    VrrpIngress: {
      Type: 'AWS::EC2::SecurityGroupIngress',
      Properties: {
        GroupId: { 'Fn::GetAtt': [SG, 'GroupId'] },
        IpProtocol: '112',
        FromPort: -1,
        ToPort: -1,
        SourceSecurityGroupId: { 'Fn::GetAtt': [SG, 'GroupId'] },
        Description: 'VRRP between the two nodes of the pair',
      },
    },
    NodeLaunchTemplate: {
      Type: 'AWS::EC2::LaunchTemplate',
      Properties: {
        LaunchTemplateData: {
          MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 1 },
          TagSpecifications: [{ ResourceType: 'volume', Tags: tags() }],
        },
      },
    },
  };
  const endpoints = spec.endpointServices ?? [];
  Object.assign(resources, endpointResources(spec.name, spec.vpcId, spec.subnetIds, options.vpcCidrs, endpoints, tags()));
  ROLES.forEach((node, i) => {
    const ids = NODE_LOGICAL_IDS[node];
    resources[ids.eni] = {
      Type: 'AWS::EC2::NetworkInterface',
      Properties: {
        Description: `HA pair ${spec.name} node ${node.toUpperCase()}`,
        SubnetId: spec.subnetIds[i],
        GroupSet: [{ 'Fn::GetAtt': [SG, 'GroupId'] }],
        // EC2 checks source/destination per ENI; traffic for the VIP is not addressed to the ENI's own IP.
        SourceDestCheck: false,
        Tags: tags(`${spec.name}-${node}`),
      },
    };
  });
  Object.assign(resources, eip?.resources);
  stackRoutes.forEach((routeTableId, i) => {
    resources[routeIds[i]] = {
      Type: 'AWS::EC2::Route',
      Properties: {
        RouteTableId: routeTableId,
        DestinationCidrBlock: `${spec.vip}/32`,
        NetworkInterfaceId: { Ref: NODE_LOGICAL_IDS.a.eni },
      },
    };
  });
  // One resource waits for every route, so each node names one dependency, not hundreds (the inline template limit).
  if (routeIds.length > 0) resources[ROUTES_DONE] = { Type: 'AWS::CloudFormation::WaitConditionHandle', DependsOn: routeIds };
  for (const node of ROLES) {
    const ids = NODE_LOGICAL_IDS[node];
    resources[ids.instance] = {
      Type: 'AWS::EC2::Instance',
      // Endpoints first too: the node's readiness check calls the APIs through them.
      DependsOn: [...(routeIds.length > 0 ? [ROUTES_DONE] : []), ...endpoints.map(endpointLogicalId)],
      // CREATE_COMPLETE only once the node's user data has proven it serves (awsops-notify ready).
      CreationPolicy: { ResourceSignal: { Count: 1, Timeout: NODE_READY_TIMEOUT } },
      Properties: {
        ImageId: spec.imageId,
        InstanceType: spec.instanceType,
        ...(spec.keyName ? { KeyName: spec.keyName } : {}),
        IamInstanceProfile: { Ref: 'NodeInstanceProfile' },
        LaunchTemplate: {
          LaunchTemplateId: { Ref: 'NodeLaunchTemplate' },
          Version: { 'Fn::GetAtt': ['NodeLaunchTemplate', 'LatestVersionNumber'] },
        },
        NetworkInterfaces: [{ NetworkInterfaceId: { Ref: ids.eni }, DeviceIndex: '0' }],
        // Already off on the ENI; stated here too, where consoles and audits look for it.
        SourceDestCheck: false,
        UserData: { 'Fn::Base64': sub(escapeForSub(nodeUserData(spec, node))) },
        Tags: tags(`${spec.name}-${node}`),
      },
    };
  }
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `AWS Ops HA pair ${spec.name}: haproxy + keepalived on two nodes, ${spec.routeTableIds.length ? `VIP ${spec.vip} in ${spec.routeTableIds.length} route table(s)` : 'public only'}${spec.elasticIp ? ', an Elastic IP on MASTER' : ''}`,
    Resources: resources,
    Outputs: {
      NodeAInstanceId: { Description: 'Node A (starts as the route target)', Value: { Ref: NODE_LOGICAL_IDS.a.instance } },
      NodeBInstanceId: { Description: 'Node B', Value: { Ref: NODE_LOGICAL_IDS.b.instance } },
      NodeAEniId: { Value: { Ref: NODE_LOGICAL_IDS.a.eni } },
      NodeBEniId: { Value: { Ref: NODE_LOGICAL_IDS.b.eni } },
      Vip: { Value: `${spec.vip}/32` },
      // Hundreds of ids would only bloat the template: the stack's route resources name them too.
      ...(spec.routeTableIds.length > 0 && spec.routeTableIds.length <= MAX_ROUTE_TABLE_ARNS ? { RouteTableIds: { Value: spec.routeTableIds.join(',') } } : {}),
      ...(eip ? { ElasticIpAllocationId: { Value: eip.allocation } } : {}),
    },
  };
}

export function templateJson(template: CfnTemplate): string {
  return JSON.stringify(template, null, 2) + '\n';
}

export function templateYaml(template: CfnTemplate): string {
  return toYaml(template);
}

export function stackTags(spec: PairSpec, pairTagKey = DEFAULT_PAIR_TAG_KEY): Array<{ Key: string; Value: string }> {
  return [{ Key: pairTagKey, Value: spec.name }];
}

/**
 * ReplaceRoute/CreateRoute on the pair's route tables only. Many tables would outgrow IAM's 10,240-character inline
 * policy limit (and the template's), so then the role may touch any route table of the pair's VPC, and nothing outside it.
 */
function routeMoveStatement(spec: PairSpec): Json {
  const arn = (resource: string) => sub(`arn:\${AWS::Partition}:ec2:\${AWS::Region}:\${AWS::AccountId}:${resource}`);
  const statement = { Sid: 'MoveVipRoutesOfThisPairOnly', Effect: 'Allow', Action: ['ec2:ReplaceRoute', 'ec2:CreateRoute'] };
  if (spec.routeTableIds.length <= MAX_ROUTE_TABLE_ARNS) return { ...statement, Resource: spec.routeTableIds.map((id) => arn(`route-table/${id}`)) };
  return { ...statement, Resource: arn('route-table/*'), Condition: { ArnEquals: { 'ec2:Vpc': arn(`vpc/${spec.vpcId}`) } } };
}

/**
 * What the SSM agent needs to register and run commands (AWS Ops' health checks) and sessions — instead of
 * AmazonSSMManagedInstanceCore, which also reads every parameter and document of the account.
 */
function ssmRunCommandPolicy(): Json {
  return {
    PolicyName: 'ssm-run-command',
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'SsmAgentRunCommandAndSessions',
          Effect: 'Allow',
          Action: [
            'ssm:UpdateInstanceInformation',
            'ssm:ListInstanceAssociations',
            'ec2messages:AcknowledgeMessage',
            'ec2messages:DeleteMessage',
            'ec2messages:FailMessage',
            'ec2messages:GetEndpoint',
            'ec2messages:GetMessages',
            'ec2messages:SendReply',
            'ssmmessages:CreateControlChannel',
            'ssmmessages:CreateDataChannel',
            'ssmmessages:OpenControlChannel',
            'ssmmessages:OpenDataChannel',
          ],
          Resource: '*',
        },
      ],
    },
  };
}

function ingressRules(spec: PairSpec, vpcCidrs: string[]): Json[] {
  const ports = spec.listeners.length > 0 ? spec.listeners.map((l) => l.port) : [80];
  return [
    ...ports.map((port) => tcpRule(port, spec.clientCidr, `haproxy listener ${port}`)),
    ...vpcCidrs.map((cidr) => tcpRule(DEFAULT_STATS_PORT, cidr, 'haproxy stats and health, from the VPC')),
    ...(spec.keyName && spec.sshCidr ? [tcpRule(22, spec.sshCidr, 'SSH')] : []),
  ];
}

function tcpRule(port: number, cidr: string, description: string): Json {
  return { IpProtocol: 'tcp', FromPort: port, ToPort: port, CidrIp: cidr, Description: description };
}

function sub(text: string): Json {
  return { 'Fn::Sub': text };
}

/** A node's user data with deploy-time values still as markers. */
function nodeUserData(spec: PairSpec, node: NodeRole): string {
  const self = NODE_LOGICAL_IDS[node].eni;
  const peer = NODE_LOGICAL_IDS[node === 'a' ? 'b' : 'a'].eni;
  const input: NodeUserDataInput = {
    spec,
    node,
    selfIp: deployTimeValue(`${self}.PrimaryPrivateIpAddress`),
    peerIp: deployTimeValue(`${peer}.PrimaryPrivateIpAddress`),
    region: deployTimeValue('AWS::Region'),
    eniId: deployTimeValue(self),
    peerEniId: deployTimeValue(peer),
    signal: { stackName: deployTimeValue('AWS::StackName'), signalResource: NODE_LOGICAL_IDS[node].instance },
    allocationId: spec.elasticIp && (spec.elasticIp.allocationId ?? deployTimeValue(`${ELASTIC_IP_LOGICAL_ID}.AllocationId`)),
  };
  return renderUserData(input);
}

/** Fn::Sub keeps the user data one readable string: literal `${` (bash) is escaped as `${!`, markers become `${Ref}`. */
function escapeForSub(text: string): string {
  return text.replace(/\$\{/g, '${!').replace(new RegExp(DEPLOY_TIME_VALUES), '${$1}');
}

/** The larger node's user data size once CloudFormation has filled in the longest possible values. */
export function userDataBytes(spec: PairSpec): number {
  return Math.max(...ROLES.map((node) => filledBytes(nodeUserData(spec, node))));
}

function pascal(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
