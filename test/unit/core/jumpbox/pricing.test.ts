import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hourlyUsdFromPriceList, priceFilters, resolveHourlyPrice, type ProductsFetcher } from '../../../../src/core/jumpbox/pricing';

/** The shape of one GetProducts PriceList entry (trimmed to the fields that matter). */
function priceListDocument(usd: string): string {
  return JSON.stringify({
    product: { attributes: { instanceType: 't2.medium', regionCode: 'us-east-1', operatingSystem: 'Linux' } },
    terms: {
      OnDemand: {
        'ABC.JRTCKXETXF': {
          priceDimensions: {
            'ABC.JRTCKXETXF.6YS6EN2CT7': { unit: 'Hrs', pricePerUnit: { USD: usd }, description: `$${usd} per On Demand Linux t2.medium Instance Hour` },
          },
        },
      },
    },
  });
}

const query = { instanceType: 't2.medium', region: 'us-east-1', platformDetails: 'Linux/UNIX' };

describe('pricing', () => {
  it('asks for shared-tenancy on-demand Linux or Windows only', () => {
    const fields = Object.fromEntries((priceFilters(query) ?? []).map((f) => [f.Field, f.Value]));
    assert.deepEqual(fields, {
      instanceType: 't2.medium',
      regionCode: 'us-east-1',
      operatingSystem: 'Linux',
      tenancy: 'Shared',
      preInstalledSw: 'NA',
      capacitystatus: 'Used',
      licenseModel: 'No License required',
    });
    assert.equal(priceFilters({ ...query, platformDetails: 'Windows' })?.find((f) => f.Field === 'operatingSystem')?.Value, 'Windows');
    assert.equal(priceFilters({ ...query, platformDetails: 'Windows with SQL Server Standard' }), undefined);
  });

  it('reads the hourly USD price, and refuses to pick among different ones', () => {
    assert.equal(hourlyUsdFromPriceList([priceListDocument('0.0464000000')]), 0.0464);
    assert.equal(hourlyUsdFromPriceList([priceListDocument('0.0464'), priceListDocument('0.0464')]), 0.0464);
    assert.equal(hourlyUsdFromPriceList([priceListDocument('0.0464'), priceListDocument('0.0580')]), undefined);
    assert.equal(hourlyUsdFromPriceList([priceListDocument('0.0000000000')]), undefined);
    assert.equal(hourlyUsdFromPriceList([]), undefined);
  });

  it('prefers the Price List API', async () => {
    const price = await resolveHourlyPrice(query, { fetchProducts: async () => [priceListDocument('0.0464')], hourlyPrices: { 't2.medium': 0.05 } });
    assert.deepEqual(price, { usdPerHour: 0.0464, source: 'price-list' });
  });

  it('falls back to the setting when the API fails, and says why', async () => {
    const price = await resolveHourlyPrice(query, {
      fetchProducts: async () => {
        throw new Error('UnrecognizedClientException: The security token included in the request is invalid');
      },
      hourlyPrices: { 't2.medium': 0.0464 },
    });
    assert.equal(price.usdPerHour, 0.0464);
    assert.equal(price.source, 'setting');
    assert.match(price.note ?? '', /Price List API failed: UnrecognizedClientException/);
  });

  it('gives up on a slow API after the timeout and aborts the request', async () => {
    let aborted = false;
    const hanging: ProductsFetcher = (_filters, signal) =>
      new Promise(() => signal.addEventListener('abort', () => (aborted = true)));
    const started = performance.now();
    const price = await resolveHourlyPrice(query, { fetchProducts: hanging, hourlyPrices: { 't2.medium': 0.0464 }, timeoutMs: 50 });
    assert.ok(performance.now() - started < 1000);
    assert.equal(price.source, 'setting');
    assert.match(price.note ?? '', /no answer within 50 ms/);
    assert.equal(aborted, true);
  });

  it('is unknown without API and without a usable setting — never a guess', async () => {
    for (const hourlyPrices of [undefined, {}, { 't2.medium': 'cheap' }, { 't2.medium': -1 }, { 't3.micro': 0.0104 }]) {
      const price = await resolveHourlyPrice(query, { hourlyPrices });
      assert.equal(price.source, 'unknown');
      assert.equal(price.usdPerHour, undefined);
    }
  });

  it('does not ask the API for a platform it cannot price exactly', async () => {
    let asked = false;
    const price = await resolveHourlyPrice(
      { ...query, platformDetails: 'Windows with SQL Server Enterprise' },
      { fetchProducts: async () => ((asked = true), [priceListDocument('0.0464')]) },
    );
    assert.equal(asked, false);
    assert.equal(price.source, 'unknown');
  });
});
