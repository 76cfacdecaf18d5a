import { endpointProblem } from './endpoint';
import type { ProfileInfo } from './profiles';
import { regionProblem } from './regions';

export interface TargetInput {
  profile?: string;
  regions: string[];
  endpointUrl?: string;
}

/** Everything wrong with where calls would go, each as a message that says what to fix; empty when usable. */
export function targetProblems(input: TargetInput, profiles: readonly ProfileInfo[], envHasKeys: boolean): string[] {
  const problems: string[] = [];
  if (input.profile && !profiles.some((p) => p.name === input.profile)) {
    problems.push(`Profile "${input.profile}" is not in the AWS config or credentials file: pick one with "AWS Ops: Select Profile".`);
  }
  if (!input.profile && profiles.length === 0 && !envHasKeys) {
    problems.push('No AWS credentials: no profile in the shared config/credentials files and no AWS_ACCESS_KEY_ID in the environment.');
  }
  if (input.endpointUrl) {
    const problem = endpointProblem(input.endpointUrl);
    if (problem) problems.push(`${problem} Fix the awsops.endpointUrl setting.`);
  }
  if (input.regions.length === 0) problems.push(regionProblem('') as string);
  for (const region of input.regions) {
    const problem = regionProblem(region);
    if (problem) problems.push(problem);
  }
  return problems;
}
