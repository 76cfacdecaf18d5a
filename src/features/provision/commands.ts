import * as vscode from 'vscode';
import type { Aws } from '../../aws/load';
import { actingAs, confirmDetail } from '../../plumbing/actingAs';
import type { FeatureDeps } from '../../plumbing/commands';
import type { PairPlan } from '../../core/provision/deploy';
import { STACK_NAME_PREFIX, stackNameFor, type PairSpec, type VpcFacts } from '../../core/provision/inputs';
import type { PairStack } from '../../core/provision/lookups';
import type { CfnTemplate } from '../../core/provision/template';
import type { AwsSession } from '../../core/session/session';
import type { Host } from '../../plumbing/host';
import type { TreeNode } from '../../plumbing/treeNode';
import { changeSetDetail, followStack, stackErrorText, stackEventLine } from '../../plumbing/stackChanges';
import { withApiReachability } from './apiReachability';
import { deployMessage, pairOfNode, specSummary, teardownMessages, type Message } from './model';
import { runPairWizard, type ProvisionSource } from './pairWizard';

export const CREATE_PAIR = 'Create pair';
export const SAVE_TEMPLATE = 'Save template as…';
const TEMPLATE_FILTERS = { 'CloudFormation template': ['yaml', 'yml'] };

/** Wizard → change set → review → execute, following the stack events; a declined or refused plan leaves no stack. */
export async function provisionPair(deps: FeatureDeps): Promise<void> {
  const host = deps.host();
  const { aws } = deps.context;
  const sessions = await regionSessions(deps);
  if (!sessions) return;
  let chosen;
  try {
    chosen = await runPairWizard(host, awsSource(aws, sessions));
  } catch (error) {
    return show(deps, { severity: 'error', text: `Could not read what a pair needs from AWS: ${stackErrorText(aws, error)}` });
  }
  if (!chosen) return;
  const { region, facts, finish } = chosen;
  const pairTagKey = deps.context.settings().pairTagKey;
  const session = sessions.get(region) as AwsSession;
  let spec;
  try {
    spec = await withApiReachability(deps, session, chosen.spec);
  } catch (error) {
    return show(deps, { severity: 'error', text: `Could not check the way from the subnets to the AWS APIs: ${stackErrorText(aws, error)}` });
  }
  if (!spec) return show(deps, { severity: 'info', text: `Nothing was created: pair ${chosen.spec.name}'s nodes would have no way to the AWS APIs.` });
  if (finish === 'save') return saveTemplate(host, aws, spec.name, aws.buildPairTemplate(spec, { vpcCidrs: facts.cidrs, pairTagKey }));

  let plan: PairPlan;
  try {
    plan = await host.withProgress(`AWS Ops: Preparing the change set of pair ${spec.name}`, () => aws.planPair(session, spec, { pairTagKey }));
  } catch (error) {
    return show(deps, { severity: 'error', text: `Pair ${spec.name} was not created, and nothing was left behind in AWS: ${stackErrorText(aws, error)}` });
  }
  if (await reviewed(deps, session, plan, region, spec, facts)) await create(deps, session, plan, region);
}

/** The change set in a modal until the user creates the pair (true) or cancels, which discards the plan. */
async function reviewed(deps: FeatureDeps, session: AwsSession, plan: PairPlan, region: string, spec: PairSpec, facts: VpcFacts): Promise<boolean> {
  const host = deps.host();
  const { aws } = deps.context;
  const detail = await confirmDetail(deps.context, region, [...specSummary(spec, region, facts), '', changeSetDetail(plan.changes)].join('\n'));
  for (;;) {
    const choice = await host.confirm(`Create HA pair ${spec.name} (stack ${plan.stackName}) in ${region}?`, detail, CREATE_PAIR, SAVE_TEMPLATE);
    if (choice === CREATE_PAIR) return true;
    if (choice !== SAVE_TEMPLATE) break;
    await saveTemplate(host, aws, spec.name, plan.template);
  }
  await host.withProgress(`AWS Ops: Discarding the change set of pair ${spec.name}`, () => aws.discardPlan(session, plan));
  await show(deps, { severity: 'info', text: `Nothing was created: the change set of ${plan.stackName} is discarded.` });
  return false;
}

/** Executes the reviewed plan, following the stack events, then refreshes the views and reports. */
async function create(deps: FeatureDeps, session: AwsSession, plan: PairPlan, region: string): Promise<void> {
  const { aws } = deps.context;
  let result;
  try {
    result = await followStack(deps.host(), `AWS Ops: Creating pair ${plan.pairName}`, plan.changes.length, (options) => aws.executePlan(session, plan, options));
  } catch (error) {
    const text = `Creating pair ${plan.pairName} failed: ${stackErrorText(aws, error)} Stack ${plan.stackName} may still exist: see its events in the CloudFormation console, and tear the pair down if it does.`;
    return show(deps, { severity: 'error', text });
  }
  if (!result) {
    const text = `Stopped following stack ${plan.stackName}; CloudFormation carries on. Its events are in the CloudFormation console; refresh to see the pair.`;
    return show(deps, { severity: 'warn', text });
  }
  await vscode.commands.executeCommand('awsops.refresh');
  await show(deps, deployMessage(plan.pairName, region, result));
}

/** Confirmed by typing the pair's name: DeleteStack, then the VIP routes the stack left behind. */
export async function teardownPair(deps: FeatureDeps, node?: TreeNode): Promise<void> {
  const host = deps.host();
  const { aws } = deps.context;
  const wanted = pairOfNode(node);
  const sessions = await regionSessions(deps, wanted?.region);
  if (!sessions) return;
  const regions = [...sessions.keys()];
  let stacks;
  try {
    stacks = await host.withProgress('AWS Ops: Looking for the stacks of pairs', () =>
      Promise.all(regions.map(async (region) => (await aws.listPairStacks((sessions.get(region) as AwsSession).client('cloudformation'))).map((stack) => ({ ...stack, region })))),
    );
  } catch (error) {
    return show(deps, { severity: 'error', text: `Could not list the stacks of pairs: ${stackErrorText(aws, error)}` });
  }
  const candidates = stacks.flat().filter((stack) => !wanted || stack.pairName === wanted.pairName);
  if (candidates.length === 0) {
    const text = wanted
      ? `Pair ${wanted.pairName} has no stack ${stackNameFor(wanted.pairName)} in ${regions.join(', ')}: AWS Ops tears down only the pairs it provisioned.`
      : `There is no pair stack (${STACK_NAME_PREFIX}…) in ${regions.join(', ')}: nothing to tear down.`;
    return show(deps, { severity: 'info', text });
  }
  const target = wanted && candidates.length === 1 ? candidates[0] : await pickStack(host, candidates);
  if (!target) return;
  const typed = await host.showInputBox({
    title: `AWS Ops: Tear Down HAProxy Pair ${target.pairName}`,
    prompt: `${await actingAs(deps.context, target.region)}: deletes stack ${target.stackName} (${target.status}): both nodes, their ENIs, the security group, the IAM role and the VIP routes. Type "${target.pairName}" to confirm.`,
    placeHolder: target.pairName,
    ignoreFocusOut: true,
    validateInput: (value) => (value === target.pairName ? undefined : `Type "${target.pairName}" exactly to confirm.`),
  });
  if (typed !== target.pairName) {
    return typed === undefined ? undefined : show(deps, { severity: 'warn', text: `"${typed}" is not "${target.pairName}": nothing was deleted.` });
  }
  const session = sessions.get(target.region) as AwsSession;
  let report;
  try {
    // Cancel stops before DeleteStack, or stops following it (the report says what goes on without us).
    report = await host.withProgress(`AWS Ops: Tearing down pair ${target.pairName}`, (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return aws.teardownPair(session, target.pairName, { signal: abort.signal, onEvent: (event) => progress(stackEventLine(event)) });
    });
  } catch (error) {
    return show(deps, { severity: 'error', text: `Tearing down pair ${target.pairName} failed: ${stackErrorText(aws, error)}` });
  }
  await vscode.commands.executeCommand('awsops.refresh');
  for (const message of teardownMessages(report, target.region)) await show(deps, message);
}

/** A session per chosen region (or only `only`), or undefined after telling the user that no region is chosen. */
async function regionSessions(deps: FeatureDeps, only?: string): Promise<Map<string, AwsSession> | undefined> {
  const { specs } = await deps.context.targets();
  if (specs.length === 0) {
    const choice = await deps.host().error('AWS Ops has no region to work in: choose one, or give the profile a region.', 'Select Regions');
    if (choice) await vscode.commands.executeCommand('awsops.selectRegions');
    return undefined;
  }
  const regions = only ? [only] : specs.map((spec) => spec.region);
  return new Map(regions.map((region) => [region, deps.context.pool.get({ ...specs[0], region })]));
}

function awsSource(aws: Aws, sessions: Map<string, AwsSession>): ProvisionSource {
  const session = (region: string) => sessions.get(region) as AwsSession;
  return {
    regions: [...sessions.keys()],
    stackStatus: async (region, stackName) => (await aws.findStack(session(region).client('cloudformation'), stackName))?.status,
    vpcs: (region) => aws.listVpcs(session(region).client('ec2')),
    vpcFacts: (region, vpcId) => aws.loadVpcFacts(session(region).client('ec2'), vpcId),
    keyPairs: (region) => aws.listKeyPairNames(session(region).client('ec2')),
    freeElasticIps: (region) => aws.listFreeElasticIps(session(region).client('ec2')),
    amis: async (region, instanceType) => {
      const architecture = aws.architectureFor(instanceType);
      try {
        return { architecture, latest: await aws.latestAl2023Ami(session(region).client('ssm'), architecture), images: [] };
      } catch (error) {
        // Some partitions and private endpoints lack the public parameter: fall back to Amazon's image list.
        return { architecture, problem: stackErrorText(aws, error), images: await aws.listAl2023Amis(session(region).client('ec2'), architecture) };
      }
    },
  };
}

async function pickStack(host: Host, stacks: ReadonlyArray<PairStack & { region: string }>): Promise<(PairStack & { region: string }) | undefined> {
  const items = stacks.map((stack) => ({
    label: stack.pairName,
    description: [stack.region, stack.status, stack.created?.toISOString().slice(0, 16).replace('T', ' ')].filter(Boolean).join(' · '),
    detail: stack.stackName,
    stack,
  }));
  const picked = await host.showQuickPick(items, { title: 'AWS Ops: Tear Down HAProxy Pair', placeHolder: 'The pair to delete with its stack', matchOnDescription: true });
  return picked?.stack;
}

async function saveTemplate(host: Host, aws: Aws, pairName: string, template: CfnTemplate): Promise<void> {
  const stackName = stackNameFor(pairName);
  const path = await host.saveFile(`${stackName}.yaml`, aws.templateYaml(template), TEMPLATE_FILTERS);
  if (!path) return;
  // Not awaited: a notification's promise settles only once it is dismissed, and the review goes on meanwhile.
  void host.info(`Saved the template of pair ${pairName} to ${path}. Deploy it with: aws cloudformation deploy --template-file ${path} --stack-name ${stackName} --capabilities CAPABILITY_IAM`);
}

async function show(deps: FeatureDeps, message: Message): Promise<void> {
  if (message.severity === 'error') deps.log.error(message.text);
  else deps.log.info(message.text);
  await deps.host()[message.severity](message.text);
}
