/**
 * Binds pricing.ts to the SDK's Price List client. Kept apart so that the price logic loads (and is tested)
 * without @aws-sdk/client-pricing. The client should be made in priceListRegion(partition).
 */
import { GetProductsCommand, type PricingClient } from '@aws-sdk/client-pricing';
import { priceListUnavailable, type ProductsFetcher } from './pricing';

interface SentRequest {
  protocol?: string;
  hostname?: string;
  port?: number;
}

export function priceListFetcher(client: PricingClient): ProductsFetcher {
  return async (filters, signal) => {
    const command = new GetProductsCommand({ ServiceCode: 'AmazonEC2', Filters: filters, FormatVersion: 'aws_v1', MaxResults: 10 });
    // Where the request really went (the endpoint setting, or the SDK's own choice), for the message below.
    let endpoint = 'the configured endpoint';
    command.middlewareStack.add(
      (next) => (args) => {
        const { protocol, hostname, port } = args.request as SentRequest;
        if (hostname) endpoint = `${protocol ?? 'https:'}//${hostname}${port ? `:${port}` : ''}`;
        return next(args);
      },
      { step: 'finalizeRequest', name: 'awsOpsPriceListEndpoint' },
    );
    try {
      const output = await client.send(command, { abortSignal: signal });
      return (output.PriceList ?? []).map(String);
    } catch (error) {
      // The SDK could not parse the answer as JSON: whatever answered is not the Price List API.
      if ((error as Error).name === 'SyntaxError') throw priceListUnavailable(endpoint);
      throw error;
    }
  };
}
