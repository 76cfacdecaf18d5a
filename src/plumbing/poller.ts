import * as vscode from 'vscode';
import type { Mutations } from './mutations';
import { nextPollDelay, pollSchedule, type PollSchedule } from './pollSchedule';
import { setting } from './settings';

interface Watched {
  view: vscode.TreeView<unknown>;
  /** Views that share one refresh function (VIP Routes and HAProxy Pairs: one discovery) run it once per poll. */
  refresh: () => Promise<void>;
}

/**
 * Keeps visible views true: while a watched view is visible and the window focused, it runs their refreshes
 * every awsops.poll.interval seconds (awsops.poll.fastInterval for a few minutes after a mutating command),
 * and stops otherwise. A poll is the views' own refresh, so it costs what a refresh costs.
 */
export class Poller implements vscode.Disposable {
  private readonly watched: Watched[] = [];
  private readonly running = new Set<() => Promise<void>>();
  private readonly disposables: vscode.Disposable[] = [];
  private schedule: PollSchedule = readSchedule();
  private timer: NodeJS.Timeout | undefined;
  private lastPoll: number | undefined;
  private lastMutation: number | undefined;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    mutations: Mutations,
  ) {
    this.disposables.push(
      vscode.window.onDidChangeWindowState(() => this.arm()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('awsops.poll')) return;
        this.schedule = readSchedule();
        this.arm();
      }),
      mutations.onDidChange(() => {
        this.lastMutation = Date.now();
        this.arm();
      }),
    );
  }

  watch(view: vscode.TreeView<unknown>, refresh: () => Promise<void>): void {
    this.watched.push({ view, refresh });
    this.disposables.push(view.onDidChangeVisibility(() => this.arm()));
    this.arm();
  }

  /** A refresh the user asked for counts as a poll: the next one is a whole interval later. */
  refreshed(): void {
    this.lastPoll = Date.now();
    this.arm();
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!vscode.window.state.focused || !this.watched.some((w) => w.view.visible)) return;
    const delay = nextPollDelay(this.schedule, Date.now(), this.lastPoll, this.lastMutation);
    if (delay !== undefined) this.timer = setTimeout(() => void this.poll(), delay);
  }

  private async poll(): Promise<void> {
    this.lastPoll = Date.now();
    // A refresh still running from the last poll (a slow region) is not started again.
    const due = new Set(this.watched.filter((w) => w.view.visible && !this.running.has(w.refresh)).map((w) => w.refresh));
    this.arm();
    await Promise.all(
      [...due].map(async (refresh) => {
        this.running.add(refresh);
        try {
          await refresh();
        } catch (error) {
          // Quietly: a poll runs every few seconds; the views show AWS errors in their rows.
          this.log.warn(`poll: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        } finally {
          this.running.delete(refresh);
        }
      }),
    );
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.disposables.forEach((d) => d.dispose());
  }
}

function readSchedule(): PollSchedule {
  return pollSchedule(setting('poll.interval'), setting('poll.fastInterval'));
}
