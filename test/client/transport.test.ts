import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFortnoxClient, type FetchFunction } from '../../src/client/index.js';
import { customerRecord } from './support/fortnox-api.js';

type Sent = { input: unknown; init: RequestInit | undefined };

function recordingFetch(sent: Sent[]): FetchFunction {
  return async (input, init) => {
    sent.push({ input, init });
    return Response.json({ Customer: customerRecord() });
  };
}

describe('transport', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('hands fetch the URL and a plain init once per attempt: no wrapper builds a Request of its own', async () => {
    const sent: Sent[] = [];
    const client = createFortnoxClient({
      auth: { type: 'access-token', accessToken: 't' },
      apiBaseUrl: 'https://api.fortnox.test',
      fetch: recordingFetch(sent),
    });
    expect((await client.customers.create({ Name: 'Acme AB' })).isOk()).toBe(true);
    expect(sent).toHaveLength(1);
    const [{ input, init }] = sent as [Sent];
    expect(input).toBe('https://api.fortnox.test/3/customers');
    expect(init).toMatchObject({
      method: 'POST',
      headers: {
        Authorization: 'Bearer t',
        Accept: 'application/json',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ Customer: { Name: 'Acme AB' } }),
    });
    expect(init?.signal).toBeInstanceOf(AbortSignal);
  });

  it('appends paths to a base URL with a path prefix, with or without a trailing slash', async () => {
    for (const apiBaseUrl of [
      'http://127.0.0.1:8080/proxy/fortnox/',
      'http://127.0.0.1:8080/proxy/fortnox',
    ]) {
      const sent: Sent[] = [];
      const client = createFortnoxClient({
        auth: { type: 'access-token', accessToken: 't' },
        apiBaseUrl,
        fetch: recordingFetch(sent),
      });
      await client.customers.get('A 1');
      await client.customers.list({ city: 'Lund', page: 2 });
      await client.customers.list({});
      expect(sent.map((one) => one.input)).toEqual([
        'http://127.0.0.1:8080/proxy/fortnox/3/customers/A%201',
        'http://127.0.0.1:8080/proxy/fortnox/3/customers?page=2&city=Lund',
        'http://127.0.0.1:8080/proxy/fortnox/3/customers',
      ]);
    }
  });

  it('reads globalThis.fetch when it sends, so an interceptor installed after the client still sees the call', async () => {
    const client = createFortnoxClient({
      auth: { type: 'access-token', accessToken: 't' },
      apiBaseUrl: 'https://api.fortnox.test',
    });
    const sent: Sent[] = [];
    vi.stubGlobal('fetch', recordingFetch(sent));
    expect((await client.customers.get('1')).isOk()).toBe(true);
    expect(sent).toHaveLength(1);
  });
});
