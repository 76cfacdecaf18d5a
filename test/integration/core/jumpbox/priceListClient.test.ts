import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { priceListFetcher } from '../../../../src/core/jumpbox/priceListClient';
import { resolveHourlyPrice } from '../../../../src/core/jumpbox/pricing';
import { motoPool } from '../../../support/moto';

/** What moto_server (and many proxies) answer to an API they do not serve: an HTML error page. */
const HTML = '<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n';

describe('Price List client against an endpoint that answers HTML', () => {
  let server: Server;
  let endpoint = '';
  let status = 500;
  let requests = 0;
  const pool = motoPool();

  before(async () => {
    server = createServer((_request, response) => {
      requests++;
      response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(HTML);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    pool.clear();
    await new Promise((resolve) => server.close(resolve));
  });

  for (const answer of [500, 200]) {
    it(`says the Price List API is not available at the endpoint (HTTP ${answer}), without the parser's message`, async () => {
      status = answer;
      requests = 0;
      // As the Jumpboxes controller does: the product's session for the endpoint setting, in the Price List region.
      const fetchProducts = priceListFetcher(pool.get({ region: 'us-east-1', endpointUrl: endpoint }).client('pricing'));
      const price = await resolveHourlyPrice({ instanceType: 't3.micro', region: 'eu-west-1' }, { fetchProducts, timeoutMs: 20_000 });
      assert.ok(requests > 0, 'the request reached the server');
      assert.equal(price.source, 'unknown');
      assert.equal(price.note, `the Price List API is not available at ${endpoint}; no awsops.hourlyPrices entry for t3.micro`);
    });
  }
});
