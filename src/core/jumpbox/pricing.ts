/**
 * The on-demand hourly price of an instance type: the AWS Price List API when it answers within a short
 * timeout, else the user's `awsops.hourlyPrices` setting, else unknown — never a guess.
 */
import type { HourlyPrice } from './savings';

export interface PriceFilter {
  Type: 'TERM_MATCH';
  Field: string;
  Value: string;
}

/** One GetProducts call for service AmazonEC2: returns the PriceList documents (JSON text). */
export type ProductsFetcher = (filters: PriceFilter[], signal: AbortSignal) => Promise<string[]>;

export interface PriceQuery {
  instanceType: string;
  region: string;
  /** DescribeInstances' PlatformDetails, e.g. "Linux/UNIX" or "Windows"; Linux when absent. */
  platformDetails?: string;
}

export interface PriceLookup {
  fetchProducts?: ProductsFetcher;
  /** The awsops.hourlyPrices setting: instance type → USD per hour. */
  hourlyPrices?: Readonly<Record<string, unknown>>;
  timeoutMs?: number;
}

/** Names the error a ProductsFetcher throws when the endpoint answers something other than the Price List API. */
const UNAVAILABLE = 'PriceListUnavailable';

/** The endpoint answered, but not as the Price List API (an emulator's HTML error page, a proxy's login page). */
export function priceListUnavailable(endpoint: string): Error {
  return Object.assign(new Error(`the Price List API is not available at ${endpoint}`), { name: UNAVAILABLE });
}

/** The price and, when the Price List API was not used, why (for the log). */
export type ResolvedPrice = HourlyPrice & { note?: string };

/** Only platforms whose Price List operatingSystem is unambiguous: others must come from the setting. */
const OPERATING_SYSTEMS: Record<string, string> = {
  'linux/unix': 'Linux',
  windows: 'Windows',
  'red hat enterprise linux': 'RHEL',
  'suse linux': 'SUSE',
};

/** The Price List API is served from a few regions only; this one covers the partition's regions. */
export function priceListRegion(partition: string): string {
  return partition === 'aws-cn' ? 'cn-northwest-1' : 'us-east-1';
}

/** Shared-tenancy, on-demand, no pre-installed software, no BYOL: what a plain jumpbox is billed. */
export function priceFilters(query: PriceQuery): PriceFilter[] | undefined {
  const operatingSystem = OPERATING_SYSTEMS[(query.platformDetails ?? 'Linux/UNIX').toLowerCase()];
  if (!operatingSystem) return undefined;
  const fields: Array<[string, string]> = [
    ['instanceType', query.instanceType],
    ['regionCode', query.region],
    ['operatingSystem', operatingSystem],
    ['tenancy', 'Shared'],
    ['preInstalledSw', 'NA'],
    ['capacitystatus', 'Used'],
    ['licenseModel', 'No License required'],
  ];
  return fields.map(([Field, Value]) => ({ Type: 'TERM_MATCH', Field, Value }));
}

interface PriceDimension {
  unit?: string;
  pricePerUnit?: { USD?: string };
}

interface PriceListProduct {
  terms?: { OnDemand?: Record<string, { priceDimensions?: Record<string, PriceDimension> }> };
}

/** The hourly USD price in PriceList documents, or undefined when none carries exactly one positive one. */
export function hourlyUsdFromPriceList(documents: readonly string[]): number | undefined {
  const prices = new Set<number>();
  for (const document of documents) {
    const product = JSON.parse(document) as PriceListProduct;
    for (const term of Object.values(product.terms?.OnDemand ?? {})) {
      for (const dimension of Object.values(term.priceDimensions ?? {})) {
        const usd = Number(dimension.pricePerUnit?.USD);
        if (dimension.unit === 'Hrs' && usd > 0) prices.add(usd);
      }
    }
  }
  // Several different prices mean the filters were not specific enough: better unknown than wrong.
  return prices.size === 1 ? [...prices][0] : undefined;
}

export async function resolveHourlyPrice(query: PriceQuery, lookup: PriceLookup): Promise<ResolvedPrice> {
  const apiNote = await fromPriceList(query, lookup);
  if (typeof apiNote === 'number') return { usdPerHour: apiNote, source: 'price-list' };
  const configured = lookup.hourlyPrices?.[query.instanceType];
  if (typeof configured === 'number' && Number.isFinite(configured) && configured > 0) {
    return { usdPerHour: configured, source: 'setting', note: apiNote };
  }
  return { source: 'unknown', note: `${apiNote}; no awsops.hourlyPrices entry for ${query.instanceType}` };
}

/** The price, or a note saying why the Price List API gave none. */
async function fromPriceList(query: PriceQuery, lookup: PriceLookup): Promise<number | string> {
  if (!lookup.fetchProducts) return 'Price List API not available';
  const filters = priceFilters(query);
  if (!filters) return `Price List API not asked: platform "${query.platformDetails}" is not priced automatically`;
  const timeoutMs = lookup.timeoutMs ?? 3000;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    const documents = await Promise.race([lookup.fetchProducts(filters, controller.signal), deadline]);
    return hourlyUsdFromPriceList(documents) ?? `Price List API has no single on-demand price for ${query.instanceType} in ${query.region}`;
  } catch (error) {
    // Checked by name: the fetcher may come from the other bundle (dist/aws.js), where instanceof does not hold.
    if ((error as Error).name === UNAVAILABLE) return (error as Error).message;
    return `Price List API failed: ${(error as Error).message?.split('\n')[0] ?? String(error)}`;
  } finally {
    clearTimeout(timer);
  }
}
