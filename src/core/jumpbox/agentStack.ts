/**
 * The jumpbox agent's CloudFormation stack, one per region: the function (the bundled agent/ code, inline), the
 * EventBridge rule that sends it EC2 state changes, and two least-privilege roles. What each role may do is
 * the part of the change set worth reading, so the template says it plainly:
 * - the function starts and stops only instances carrying the jumpbox tag, tags them only with its own keys,
 *   changes only A and TXT records in the allowed zones, and creates KMS grants only for EC2 (encrypted volumes);
 * - Scheduler may invoke it only from AWS Ops' schedules of this account and region.
 */
import { STATE_CHANGE_PATTERN } from './agentEvents';
import { AGENT_TAGS } from './agentTags';
import type { CfnTemplate } from '../provision/template';
import type { Json } from '../provision/yaml';

export const AGENT_STACK_NAME = 'awsops-jumpbox-agent';
export const AGENT_FUNCTION_NAME = 'awsops-jumpbox-agent';
/** Bumped whenever agent/ or this template changes: an installed agent with a lower number is offered an update. */
export const AGENT_VERSION = 1;
export const AGENT_VERSION_TAG = 'awsops:agent-version';
/** Not /awsops/…: SSM reserves names that begin with "aws" or "ssm", at the top of a path too. */
export const HOLIDAYS_PARAMETER = '/jumpbox-agent/holidays';
/** Every schedule AWS Ops creates for a jumpbox is named awsops-i-…, in the default group. */
export const AGENT_SCHEDULE_PATTERN = 'schedule/default/awsops-i-*';

export const AGENT_LOGICAL_IDS = { function: 'AgentFunction', schedulerRole: 'SchedulerRole' } as const;

export interface AgentTemplateOptions {
  /** The bundled handler (dist/agent.js). */
  code: string;
  /** Setting awsops.jumpboxTagKey: written into the policies' tag conditions, whose keys cannot be parameters. */
  jumpboxTagKey: string;
}

const sub = (text: string): Json => ({ 'Fn::Sub': text });
const INSTANCES = sub('arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:instance/*');
const allow = (Action: string | string[], Resource: Json, Condition?: Json): Json => ({ Effect: 'Allow', Action, Resource, ...(Condition ? { Condition } : {}) });
const trust = (service: string, Condition: Json): Json => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole', Condition }] });
/** The allowed zones' ARNs, from the comma list parameter: "Z1,Z2" → [arn…/Z1, arn…/Z2]. */
const ZONE_ARNS: Json = { 'Fn::Split': [',', { 'Fn::Sub': ['arn:${AWS::Partition}:route53:::hostedzone/${Zones}', { Zones: { 'Fn::Join': [',arn:${AWS::Partition}:route53:::hostedzone/', { Ref: 'HostedZoneIds' }] } }] }] };
const whenZones = (statement: Json): Json => ({ 'Fn::If': ['HasZones', statement, { Ref: 'AWS::NoValue' }] });

export function buildAgentTemplate(options: AgentTemplateOptions): CfnTemplate {
  const tagged = { Null: { [`aws:ResourceTag/${options.jumpboxTagKey}`]: 'false' } };
  const ownKeys = (keys: string[]): Json => ({ ...tagged, 'ForAllValues:StringEquals': { 'aws:TagKeys': keys }, Null: { ...tagged.Null, 'aws:TagKeys': 'false' } });
  const agentPolicy = {
    Version: '2012-10-17',
    Statement: [
      allow(['logs:CreateLogStream', 'logs:PutLogEvents'], { 'Fn::GetAtt': ['AgentLogGroup', 'Arn'] }),
      allow('ec2:DescribeInstances', '*'),
      allow(['ec2:StartInstances', 'ec2:StopInstances'], INSTANCES, tagged),
      allow('ec2:CreateTags', INSTANCES, ownKeys([AGENT_TAGS.lastAction, AGENT_TAGS.lastError])),
      allow('ec2:DeleteTags', INSTANCES, ownKeys([AGENT_TAGS.override])),
      // Starting an instance with encrypted EBS volumes needs a grant for EC2 on their key.
      allow('kms:CreateGrant', '*', { Bool: { 'kms:GrantIsForAWSResource': 'true' } }),
      allow('ssm:GetParameter', sub(`arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${HOLIDAYS_PARAMETER}`)),
      allow('route53:ListHostedZones', '*'),
      allow('route53:GetChange', sub('arn:${AWS::Partition}:route53:::change/*')),
      whenZones(allow('route53:ListResourceRecordSets', ZONE_ARNS)),
      whenZones(allow('route53:ChangeResourceRecordSets', ZONE_ARNS, { 'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'TXT'] } })),
    ],
  };
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `AWS Ops jumpbox agent v${AGENT_VERSION}: DNS follows every start and stop; work-hours schedules honour holidays and overrides.`,
    Parameters: {
      HostedZoneIds: { Type: 'CommaDelimitedList', Default: '', Description: 'Hosted zone ids (setting awsops.dnsZones) in which the agent may write jumpbox A records and their ownership TXT records.' },
    },
    Conditions: { HasZones: { 'Fn::Not': [{ 'Fn::Equals': [{ 'Fn::Join': ['', { Ref: 'HostedZoneIds' }] }, ''] }] } },
    Resources: {
      AgentLogGroup: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: `/aws/lambda/${AGENT_FUNCTION_NAME}`, RetentionInDays: 14 } },
      AgentRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Description: 'AWS Ops jumpbox agent: start/stop and tag jumpboxes, keep their DNS records',
          AssumeRolePolicyDocument: trust('lambda.amazonaws.com', { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
          Policies: [{ PolicyName: 'jumpbox-agent', PolicyDocument: agentPolicy }],
        },
      },
      [AGENT_LOGICAL_IDS.function]: {
        Type: 'AWS::Lambda::Function',
        DependsOn: 'AgentLogGroup',
        Properties: {
          FunctionName: AGENT_FUNCTION_NAME,
          Description: `AWS Ops jumpbox agent v${AGENT_VERSION}`,
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          Role: { 'Fn::GetAtt': ['AgentRole', 'Arn'] },
          // Room for Route53 to report INSYNC (DNS_WAIT_SECONDS) after a change.
          Timeout: 120,
          MemorySize: 256,
          Environment: {
            Variables: {
              JUMPBOX_TAG_KEY: options.jumpboxTagKey,
              DNS_ZONES: { 'Fn::Join': [',', { Ref: 'HostedZoneIds' }] },
              HOLIDAYS_PARAMETER,
              DNS_WAIT_SECONDS: '90',
            },
          },
          Code: { ZipFile: options.code },
        },
      },
      StateChangeRule: {
        Type: 'AWS::Events::Rule',
        Properties: {
          Description: 'AWS Ops jumpbox agent: EC2 instances reaching running or stopped',
          EventPattern: STATE_CHANGE_PATTERN,
          Targets: [{ Id: 'agent', Arn: { 'Fn::GetAtt': [AGENT_LOGICAL_IDS.function, 'Arn'] } }],
        },
      },
      StateChangePermission: {
        Type: 'AWS::Lambda::Permission',
        Properties: { Action: 'lambda:InvokeFunction', FunctionName: { Ref: AGENT_LOGICAL_IDS.function }, Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': ['StateChangeRule', 'Arn'] } },
      },
      [AGENT_LOGICAL_IDS.schedulerRole]: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Description: 'AWS Ops jumpbox agent: lets the jumpbox schedules invoke the agent',
          // No confused deputy: only this account's AWS Ops schedules may assume it.
          AssumeRolePolicyDocument: trust('scheduler.amazonaws.com', {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnLike: { 'aws:SourceArn': sub(`arn:\${AWS::Partition}:scheduler:\${AWS::Region}:\${AWS::AccountId}:${AGENT_SCHEDULE_PATTERN}`) },
          }),
          Policies: [{ PolicyName: 'invoke-agent', PolicyDocument: { Version: '2012-10-17', Statement: [allow('lambda:InvokeFunction', { 'Fn::GetAtt': [AGENT_LOGICAL_IDS.function, 'Arn'] })] } }],
        },
      },
    },
  };
}

/** The agent of one region, as its stack says. */
export interface AgentStatus {
  region: string;
  installed: boolean;
  /** The version its stack was tagged with; 0 when unknown. */
  version: number;
  stackStatus?: string;
  /** Where schedules send their events, and the role they assume (when installed). */
  functionArn?: string;
  schedulerRoleArn?: string;
}

/** Whether the extension carries a newer agent than the installed one. */
export function agentOutdated(status: Pick<AgentStatus, 'installed' | 'version'>): boolean {
  return status.installed && status.version < AGENT_VERSION;
}
