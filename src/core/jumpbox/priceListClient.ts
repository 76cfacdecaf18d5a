/**
 * Binds pricing.ts to the SDK's Price List client. Kept apart so that the price logic loads (and is tested)
 * without @aws-sdk/client-pricing. The client should be made in priceListRegion(partition).
 */
import { GetProductsCommand, type PricingClient } from '@aws-sdk/client-pricing';
import type { ProductsFetcher } from './pricing';

export function priceListFetcher(client: PricingClient): ProductsFetcher {
  return async (filters, signal) => {
    const output = await client.send(
      new GetProductsCommand({ ServiceCode: 'AmazonEC2', Filters: filters, FormatVersion: 'aws_v1', MaxResults: 10 }),
      { abortSignal: signal },
    );
    return (output.PriceList ?? []).map(String);
  };
}
