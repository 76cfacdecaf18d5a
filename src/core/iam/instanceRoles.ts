import {
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { explainError } from '../session/errors';
import type { PolicyText } from './policyDocument';

/** What IAM says about an instance's role: its policies, or why they cannot be known. */
export type RoleFacts =
  | { kind: 'none'; why: string }
  | { kind: 'unknown'; why: string }
  | { kind: 'role'; roleName: string; policies: PolicyText[]; boundary?: PolicyText[] };

/**
 * Managed policy documents by "ARN@version": a version never changes, so it is read once for the session;
 * GetPolicy (which names the default version) is still asked on every refresh.
 */
export type PolicyVersionCache = Map<string, string>;

/** One refresh's answers by role name: IAM is global, so every region and node with the same role shares one read. */
export type RoleMemo = Map<string, Promise<RoleFacts>>;

/**
 * The role behind each instance profile ARN (undefined: the instance has none) and its attached and inline
 * policies plus its permissions boundary, as text for the evaluator. A refused or failed IAM call makes that
 * role "unknown" with the reason; it never fails the others.
 */
export async function readInstanceRoles(
  iam: IAMClient,
  profileArns: ReadonlyArray<string | undefined>,
  caches: { versions: PolicyVersionCache; roles: RoleMemo },
  signal?: AbortSignal,
): Promise<RoleFacts[]> {
  const profiles = new Map<string, Promise<RoleFacts>>();
  return Promise.all(
    profileArns.map((arn) => {
      if (!arn) return { kind: 'none', why: 'no instance profile: the notify script has no credentials to move routes' } as const;
      let facts = profiles.get(arn);
      if (!facts) {
        facts = profileRole(iam, arn, caches, signal);
        profiles.set(arn, facts);
      }
      return facts;
    }),
  );
}

async function profileRole(iam: IAMClient, profileArn: string, caches: { versions: PolicyVersionCache; roles: RoleMemo }, signal?: AbortSignal): Promise<RoleFacts> {
  const name = profileArn.slice(profileArn.lastIndexOf('/') + 1);
  let roleName: string | undefined;
  try {
    const answer = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name }), { abortSignal: signal });
    roleName = answer.InstanceProfile?.Roles?.[0]?.RoleName;
  } catch (error) {
    return refused('iam:GetInstanceProfile', error);
  }
  if (!roleName) return { kind: 'none', why: `instance profile ${name} has no role` };
  let facts = caches.roles.get(roleName);
  if (!facts) {
    facts = rolePolicies(iam, roleName, caches.versions, signal);
    caches.roles.set(roleName, facts);
  }
  return facts;
}

async function rolePolicies(iam: IAMClient, roleName: string, versions: PolicyVersionCache, signal?: AbortSignal): Promise<RoleFacts> {
  const options = { abortSignal: signal };
  let step = 'iam:GetRole';
  try {
    const role = (await iam.send(new GetRoleCommand({ RoleName: roleName }), options)).Role;
    step = 'iam:ListAttachedRolePolicies';
    const attached: string[] = [];
    for await (const page of paginateListAttachedRolePolicies({ client: iam }, { RoleName: roleName }, options)) {
      attached.push(...(page.AttachedPolicies ?? []).flatMap((p) => (p.PolicyArn ? [p.PolicyArn] : [])));
    }
    step = 'iam:ListRolePolicies';
    const inline: string[] = [];
    for await (const page of paginateListRolePolicies({ client: iam }, { RoleName: roleName }, options)) inline.push(...(page.PolicyNames ?? []));
    step = 'iam:GetPolicy / iam:GetPolicyVersion / iam:GetRolePolicy';
    const managed = (arn: string) => managedPolicy(iam, arn, versions, signal);
    const policies = await Promise.all([
      ...attached.map(managed),
      ...inline.map(async (policyName): Promise<PolicyText> => {
        const answer = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }), options);
        return { name: `inline policy ${policyName}`, document: answer.PolicyDocument ?? '' };
      }),
    ]);
    const boundaryArn = role?.PermissionsBoundary?.PermissionsBoundaryArn;
    return { kind: 'role', roleName, policies, boundary: boundaryArn ? [await managed(boundaryArn)] : undefined };
  } catch (error) {
    return refused(step, error);
  }
}

async function managedPolicy(iam: IAMClient, arn: string, versions: PolicyVersionCache, signal?: AbortSignal): Promise<PolicyText> {
  const versionId = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }), { abortSignal: signal })).Policy?.DefaultVersionId;
  const key = `${arn}@${versionId}`;
  let document = versions.get(key);
  if (document === undefined) {
    document = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId }), { abortSignal: signal })).PolicyVersion?.Document ?? '';
    versions.set(key, document);
  }
  return { name: arn, document };
}

function refused(step: string, error: unknown): RoleFacts {
  const e = explainError(error);
  return { kind: 'unknown', why: `${step} answered ${e.code}: ${e.message}` };
}
