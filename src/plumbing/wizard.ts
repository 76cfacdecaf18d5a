/** A multi-step input flow with Back: each step edits a shared state; Back returns to the step shown before. */
import { BACK, type Back } from './wizardIO';

/** Where a step sits in the flow, for its prompt's "step/total" and Back button. */
export interface StepFrame {
  step: number;
  totalSteps: number;
  canGoBack: boolean;
}

/** 'next' moves on, BACK returns to the previous shown step, undefined cancels the whole flow. */
export type StepResult = 'next' | Back | undefined;

export interface WizardStep<S> {
  /** A skipped step is not shown and not counted, also on the way back. */
  skip?(state: S): boolean;
  run(state: S, frame: StepFrame): Promise<StepResult>;
}

/** Runs the steps in order; resolves the state once the last step is done, or undefined when cancelled. */
export async function runWizard<S>(steps: readonly WizardStep<S>[], state: S): Promise<S | undefined> {
  const shown: number[] = [];
  let index = 0;
  while (index < steps.length) {
    const step = steps[index];
    if (step.skip?.(state)) {
      index++;
      continue;
    }
    const totalSteps = shown.length + steps.slice(index).filter((s) => !s.skip?.(state)).length;
    const result = await step.run(state, { step: shown.length + 1, totalSteps, canGoBack: shown.length > 0 });
    if (result === undefined) return undefined;
    if (result === BACK) {
      // Back on the first step (a stale button press) simply shows it again.
      index = shown.pop() ?? index;
      continue;
    }
    shown.push(index);
    index++;
  }
  return state;
}
