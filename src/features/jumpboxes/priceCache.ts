import type { ProductsFetcher } from '../../core/jumpbox/pricing';

/** A failed or timed-out Price List API is asked again only after this long, so refreshes stay fast. */
const FAILURE_TTL_MS = 5 * 60_000;

/**
 * Remembers Price List API answers: prices change a few times a year, so an answer is kept for the session,
 * and an unreachable API (a private network, an emulator) does not add its timeout to every refresh.
 */
export class PriceListCache {
  private readonly answers = new Map<string, { documents: Promise<string[]>; ok: boolean; at: number }>();

  /** `scope` separates answers per account and endpoint. */
  wrap(scope: string, fetch: ProductsFetcher, now: () => number = Date.now): ProductsFetcher {
    return (filters, signal) => {
      const key = `${scope}|${JSON.stringify(filters)}`;
      const cached = this.answers.get(key);
      if (cached && (cached.ok || now() - cached.at < FAILURE_TTL_MS)) return cached.documents;
      const entry = { documents: fetch(filters, signal), ok: false, at: now() };
      entry.documents.then(
        () => (entry.ok = true),
        () => undefined,
      );
      this.answers.set(key, entry);
      return entry.documents;
    };
  }
}
