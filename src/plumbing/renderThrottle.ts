/** How often a fleet refresh shows the accounts answered so far (the views built on them follow). */
export const FLEET_RENDER_MS = 250;

/**
 * Renders at most once per `ms` while updates keep coming (a fleet of 100 accounts answers 100 times): the first
 * update renders at once, so the first rows are not delayed; later ones within `ms` render together at its end.
 */
export class RenderThrottle {
  private last = -Infinity;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly render: () => void,
    private readonly ms: number,
  ) {}

  request(): void {
    if (this.timer) return;
    const wait = this.last + this.ms - performance.now();
    if (wait <= 0) return this.flush();
    this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Renders now (the last update of a refresh), dropping any render still waiting. */
  flush(): void {
    this.cancel();
    this.last = performance.now();
    this.render();
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
