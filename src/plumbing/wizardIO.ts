import type * as vscode from 'vscode';

/**
 * What a step of a multi-step flow resolves to when the user presses its Back button. A registered symbol, so
 * the extension bundle and the extension-host tests (which load this module separately) see the same value.
 */
export const BACK: unique symbol = Symbol.for('awsops.wizard.back');
export type Back = typeof BACK;

/** A step's answer is refused with a message (the prompt stays open and says why), or accepted with undefined. */
export type StepCheck<T> = (answer: T) => string | undefined | Promise<string | undefined>;

export interface StepOptions {
  title: string;
  /** Shown as "step/totalSteps". */
  step: number;
  totalSteps: number;
  placeholder?: string;
  /** false on the first step: there is nothing to go back to. */
  canGoBack: boolean;
}

export interface PickStepOptions<T> extends StepOptions {
  canPickMany?: boolean;
  matchOnDescription?: boolean;
  /** Checked on Enter with the picked items, the quick pick busy meanwhile (e.g. a lookup in AWS). */
  check?: StepCheck<readonly T[]>;
}

export interface InputStepOptions extends StepOptions {
  value?: string;
  prompt?: string;
  /** Checked on every keystroke: a message refuses the value (and blocks Enter), undefined accepts it. */
  validate?: (value: string) => string | undefined;
  /** Checked on Enter once `validate` passed, the input box busy meanwhile (e.g. a lookup in AWS). */
  check?: StepCheck<string>;
}

/** Items still being loaded show as a busy quick pick. */
export type StepItems<T> = readonly T[] | Promise<readonly T[]>;

/**
 * The prompts of a multi-step flow: a quick pick or an input box with a Back button. Resolves the pick or
 * the text, BACK, or undefined when the user cancelled (Escape, focus lost). Items marked `picked` are
 * preselected (canPickMany) or active (single pick).
 */
export interface WizardIO {
  pickStep<T extends vscode.QuickPickItem>(items: StepItems<T>, options: PickStepOptions<T> & { canPickMany: true }): Promise<T[] | Back | undefined>;
  pickStep<T extends vscode.QuickPickItem>(items: StepItems<T>, options: PickStepOptions<T>): Promise<T | Back | undefined>;
  inputStep(options: InputStepOptions): Promise<string | Back | undefined>;
}
