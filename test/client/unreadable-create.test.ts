import { describe, expect, it } from 'vitest';
import { createFortnoxClient } from '../../src/client/index.js';
import { API, customerRecord, HttpResponse, http, useMockServer } from './support/fortnox-api.js';

const server = useMockServer();

describe('a create answered 2xx with an unreadable body', () => {
  it('is unknown-outcome (carried out, record unknown), sent once; a GET stays invalid-response', async () => {
    let posts = 0;
    server.use(
      http.post(`${API}/3/customers`, () => {
        posts += 1;
        return new HttpResponse('<html>Created</html>', { status: 201 });
      }),
      http.get(`${API}/3/customers/:n`, () =>
        HttpResponse.json({ Customer: { ...customerRecord(), CustomerNumber: '' } }),
      ),
    );
    const client = createFortnoxClient({
      auth: { type: 'access-token', accessToken: 't' },
      apiBaseUrl: API,
    });
    const error = (await client.customers.create({ Name: 'Acme AB' }))._unsafeUnwrapErr();
    expect(error).toMatchObject({
      kind: 'unknown-outcome',
      reason: 'unreadable-response',
      status: 201,
      retryable: false,
      cause: { kind: 'invalid-response', status: 201 },
    });
    expect(error.message).toMatch(/carried out/);
    expect(posts).toBe(1);
    expect((await client.customers.get('1'))._unsafeUnwrapErr().kind).toBe('invalid-response');
  });
});
