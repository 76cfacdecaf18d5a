/**
 * The jumpbox agent: an AWS Lambda function (Node.js 22, the SDK v3 of the runtime) that keeps jumpboxes right
 * while VS Code is closed. EventBridge sends it every EC2 state change, so the DNS record follows whoever started
 * or stopped the box; the work-hours schedules and override ends call it, so holidays and overrides hold.
 */
import { handle, type AgentOutcome } from './handler';
import { runtimeFromEnv, type AgentRuntime } from './runtime';

let runtime: AgentRuntime | undefined;

export async function handler(event: unknown): Promise<AgentOutcome> {
  // Clients are made once per container, as Lambda reuses it between invocations.
  runtime ??= runtimeFromEnv();
  return handle(event, runtime);
}
