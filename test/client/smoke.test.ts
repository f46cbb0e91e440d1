import { describe, expect, it } from 'vitest';
import { createFortnoxClient } from '../../src/client/index.js';
import { API, customerRecord, HttpResponse, http, useMockServer } from './support/fortnox-api.js';

const server = useMockServer();

describe('smoke', () => {
  it('gets a customer', async () => {
    server.use(
      http.get(`${API}/3/customers/:n`, () => HttpResponse.json({ Customer: customerRecord() })),
    );
    const client = createFortnoxClient({
      auth: { type: 'access-token', accessToken: 't' },
      apiBaseUrl: API,
    });
    const result = await client.customers.get('1');
    expect(result._unsafeUnwrap().Name).toBe('Acme AB');
  });
});
