import { describe, expect, it } from 'vitest';
import { createFortnoxClient, type FortnoxClient } from '../../src/client/index.js';
import { API_BLANK } from '../../src/fortnox/index.js';
import {
  API,
  customerRecord,
  errorBody,
  HttpResponse,
  http,
  listBody,
  listItem,
  useMockServer,
} from './support/fortnox-api.js';

const server = useMockServer();

function client(): FortnoxClient {
  return createFortnoxClient({
    auth: { type: 'access-token', accessToken: 'token' },
    apiBaseUrl: API,
    retry: { baseDelayMs: 1 },
  });
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const values: T[] = [];
  for await (const value of iterable) values.push(value);
  return values;
}

describe('list', () => {
  it('sends the query and returns the page with its meta information', async () => {
    let url: URL | undefined;
    server.use(
      http.get(`${API}/3/customers`, ({ request }) => {
        url = new URL(request.url);
        return HttpResponse.json(listBody([listItem('1')], 3, 2, 201));
      }),
    );
    const page = (
      await client().customers.list({ page: 2, limit: 100, filter: 'active', sortby: 'name' })
    )._unsafeUnwrap();
    expect(Object.fromEntries(url?.searchParams ?? [])).toEqual({
      page: '2',
      limit: '100',
      filter: 'active',
      sortby: 'name',
    });
    expect(page).toMatchObject({ totalResources: 201, totalPages: 3, currentPage: 2 });
    expect(page.customers[0]?.CustomerNumber).toBe('1');
  });

  it('sends a Date lastmodified as Stockholm local time and search values URL-encoded', async () => {
    let url: URL | undefined;
    server.use(
      http.get(`${API}/3/customers`, ({ request }) => {
        url = new URL(request.url);
        return HttpResponse.json(listBody([], 0, 1));
      }),
    );
    await client().customers.list({
      lastmodified: new Date('2025-01-31T23:15:00Z'),
      name: 'Åsa & Co',
    });
    expect(url?.searchParams.get('lastmodified')).toBe('2025-02-01 00:15:00');
    expect(url?.searchParams.get('name')).toBe('Åsa & Co');
    expect(url?.search).toContain('name=%C3%85sa+%26+Co');
  });

  it('keeps a name in another alphabet out of a validation error (nothing is sent)', async () => {
    const error = (await client().customers.create({ Name: 'Иван Петров' }))._unsafeUnwrapErr();
    expect(error.kind).toBe('validation');
    expect(JSON.stringify(error)).not.toMatch(/\p{Script=Cyrillic}/u);
  });

  it('sends nothing for an invalid query', async () => {
    // No handler: a request would fail the test (onUnhandledRequest: 'error').
    const error = (await client().customers.list({ limit: 1000 }))._unsafeUnwrapErr();
    expect(error.kind).toBe('validation');
  });

  it('accepts MetaInformation counters sent as strings', async () => {
    server.use(
      http.get(`${API}/3/customers`, () =>
        HttpResponse.json({
          Customers: [],
          MetaInformation: { '@TotalResources': '0', '@TotalPages': '0', '@CurrentPage': '1' },
        }),
      ),
    );
    expect((await client().customers.list())._unsafeUnwrap().totalPages).toBe(0);
  });
});

describe('pages / all / listAll', () => {
  it('stops after one request when @TotalPages is 0', async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/3/customers`, () => {
        calls += 1;
        return HttpResponse.json(listBody([], 0, 1));
      }),
    );
    const pages = await collect(client().customers.pages());
    expect(pages).toHaveLength(1);
    expect(pages[0]?._unsafeUnwrap().customers).toEqual([]);
    expect(await collect(client().customers.all())).toEqual([]);
    expect(calls).toBe(2);
  });

  it('walks every page at limit=500, in order', async () => {
    const requested: Array<Record<string, string>> = [];
    server.use(
      http.get(`${API}/3/customers`, ({ request }) => {
        const params = Object.fromEntries(new URL(request.url).searchParams);
        requested.push(params);
        const page = Number(params.page);
        return HttpResponse.json(
          listBody([listItem(`${page}a`), listItem(`${page}b`)], 3, page, 6),
        );
      }),
    );
    const items = (await client().customers.listAll({ filter: 'inactive' }))._unsafeUnwrap();
    expect(items.map((item) => item.CustomerNumber)).toEqual(['1a', '1b', '2a', '2b', '3a', '3b']);
    expect(requested).toEqual(
      [1, 2, 3].map((page) => ({ filter: 'inactive', page: String(page), limit: '500' })),
    );
  });

  it("reports progress after every page (listAll onProgress), from the pages' meta information", async () => {
    server.use(
      http.get(`${API}/3/customers`, ({ request }) => {
        const page = Number(new URL(request.url).searchParams.get('page'));
        const items = page < 3 ? [listItem(`${page}a`), listItem(`${page}b`)] : [listItem('3a')];
        return HttpResponse.json(listBody(items, 3, page, 5));
      }),
    );
    const seen: unknown[] = [];
    const items = (
      await client().customers.listAll({}, { onProgress: (progress) => seen.push(progress) })
    )._unsafeUnwrap();
    expect(items).toHaveLength(5);
    expect(seen).toEqual([
      { pagesRead: 1, totalPages: 3, itemsRead: 2, totalItems: 5 },
      { pagesRead: 2, totalPages: 3, itemsRead: 4, totalItems: 5 },
      { pagesRead: 3, totalPages: 3, itemsRead: 5, totalItems: 5 },
    ]);
  });

  it('ignores a throwing onProgress and reports nothing for a failed page', async () => {
    server.use(
      http.get(`${API}/3/customers`, ({ request }) => {
        const page = Number(new URL(request.url).searchParams.get('page'));
        if (page === 2)
          return HttpResponse.json(errorBody(2000587, 'Ogiltigt filter'), { status: 400 });
        return HttpResponse.json(listBody([listItem(`${page}`)], 2, page, 2));
      }),
    );
    let calls = 0;
    const onProgress = () => {
      calls += 1;
      throw new Error('broken progress bar');
    };
    const pages = await collect(client().customers.pages({}, { onProgress }));
    expect(pages.map((page) => page.isOk())).toEqual([true, false]);
    expect(calls).toBe(1);
  });

  it('yields a typed error once and stops when a page fails', async () => {
    server.use(
      http.get(`${API}/3/customers`, ({ request }) => {
        const page = Number(new URL(request.url).searchParams.get('page'));
        if (page === 2)
          return HttpResponse.json(errorBody(2000587, 'Ogiltigt filter'), { status: 400 });
        return HttpResponse.json(listBody([listItem(`${page}`)], 5, page));
      }),
    );
    const results = await collect(client().customers.all());
    expect(results).toHaveLength(2);
    expect(results[0]?._unsafeUnwrap().CustomerNumber).toBe('1');
    expect(results[1]?._unsafeUnwrapErr()).toMatchObject({ kind: 'api', code: 2000587 });
    expect((await client().customers.listAll())._unsafeUnwrapErr().kind).toBe('api');
  });

  it('refuses paging parameters (pages() pages itself)', async () => {
    const results = await collect(client().customers.pages({ page: 2 } as never));
    expect(results).toHaveLength(1);
    expect(results[0]?._unsafeUnwrapErr().kind).toBe('validation');
  });
});

describe('get / create / update / remove', () => {
  it('URL-encodes the customer number', async () => {
    let path = '';
    server.use(
      http.get(`${API}/3/customers/*`, ({ request }) => {
        path = new URL(request.url).pathname;
        return HttpResponse.json({ Customer: customerRecord({ CustomerNumber: 'A/1+2' }) });
      }),
    );
    const customer = (await client().customers.get('A/1+2'))._unsafeUnwrap();
    expect(path).toBe('/3/customers/A%2F1%2B2');
    expect(customer.CustomerNumber).toBe('A/1+2');
  });

  it('creates with a JSON body, headers and the created record back', async () => {
    let sent: unknown;
    let headers: Headers | undefined;
    server.use(
      http.post(`${API}/3/customers`, async ({ request }) => {
        sent = await request.json();
        headers = request.headers;
        return HttpResponse.json(
          { Customer: customerRecord({ CustomerNumber: '1001' }) },
          { status: 201 },
        );
      }),
    );
    const customer = (
      await client().customers.create({ Name: 'Acme AB', Type: 'COMPANY', CountryCode: 'SE' })
    )._unsafeUnwrap();
    expect(sent).toEqual({ Customer: { Name: 'Acme AB', Type: 'COMPANY', CountryCode: 'SE' } });
    expect(headers?.get('authorization')).toBe('Bearer token');
    expect(headers?.get('content-type')).toBe('application/json');
    expect(headers?.get('accept')).toBe('application/json');
    expect(customer.CustomerNumber).toBe('1001');
  });

  it('validates writes with the strict schema and sends nothing when invalid', async () => {
    const { customers } = client();
    const invalid = [
      await customers.create({ Name: 'Acme <AB>' }),
      await customers.create({ Email: 'a@b.se' } as never),
      await customers.create({ Name: 'Acme', Colour: 'red' } as never),
      await customers.update('1', { Email: 'not-an-email' }),
      await customers.update('1', {}),
      await customers.update('1', { CustomerNumber: '2' }),
      await customers.update('1', { Email: '' }),
    ];
    for (const result of invalid) expect(result._unsafeUnwrapErr().kind).toBe('validation');
  });

  it('updates partially and clears with API_BLANK', async () => {
    let sent: unknown;
    server.use(
      http.put(`${API}/3/customers/:n`, async ({ request, params }) => {
        expect(params.n).toBe('7');
        sent = await request.json();
        return HttpResponse.json({ Customer: customerRecord({ CustomerNumber: '7', Email: '' }) });
      }),
    );
    const result = await client().customers.update('7', { Email: API_BLANK, City: 'Lund' });
    expect(result.isOk()).toBe(true);
    expect(sent).toEqual({ Customer: { Email: 'API_BLANK', City: 'Lund' } });
  });

  it('removes with DELETE and an empty 204', async () => {
    let calls = 0;
    server.use(
      http.delete(`${API}/3/customers/:n`, () => {
        calls += 1;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    expect((await client().customers.remove('7'))._unsafeUnwrap()).toBeUndefined();
    expect(calls).toBe(1);
  });

  it('rejects an empty customer number without a request', async () => {
    const { customers } = client();
    for (const result of [
      await customers.get(' '),
      await customers.remove(''),
      await customers.update('', { City: 'Lund' }),
    ]) {
      expect(result._unsafeUnwrapErr().kind).toBe('validation');
    }
  });
});

describe('exact finders', () => {
  function searchHandler(items: unknown[], seen: Array<Record<string, string>>) {
    return http.get(`${API}/3/customers`, ({ request }) => {
      seen.push(Object.fromEntries(new URL(request.url).searchParams));
      return HttpResponse.json(listBody(items, 1, 1));
    });
  }

  it('finds by organisation number in any format, searching one contiguous run of digits', async () => {
    const seen: Array<Record<string, string>> = [];
    server.use(
      searchHandler(
        [
          listItem('1', { OrganisationNumber: '556000-0001' }),
          listItem('2', { OrganisationNumber: '5560000001' }),
          listItem('3', { OrganisationNumber: '16556000-0001' }),
          listItem('4', { OrganisationNumber: '556000-0019' }),
        ],
        seen,
      ),
    );
    const found = (
      await client().customers.findByOrganisationNumber('556000-0001')
    )._unsafeUnwrap();
    expect(found.map((c) => c.CustomerNumber)).toEqual(['1', '2', '3']);
    expect(seen).toEqual([{ organisationnumber: '556000', page: '1', limit: '500' }]);
  });

  it('finds by customer number exactly, not by substring', async () => {
    const seen: Array<Record<string, string>> = [];
    server.use(searchHandler([listItem('1'), listItem('10'), listItem('21')], seen));
    const found = (await client().customers.findByCustomerNumber('1'))._unsafeUnwrap();
    expect(found.map((c) => c.CustomerNumber)).toEqual(['1']);
    expect(seen[0]).toMatchObject({ customernumber: '1' });
  });

  it('finds by e-mail case-insensitively and exactly', async () => {
    const seen: Array<Record<string, string>> = [];
    server.use(
      searchHandler(
        [
          listItem('1', { Email: 'Info@Acme.se' }),
          listItem('2', { Email: 'sales.info@acme.se' }),
          listItem('3', { Email: null }),
        ],
        seen,
      ),
    );
    const found = (await client().customers.findByEmail(' info@acme.se '))._unsafeUnwrap();
    expect(found.map((c) => c.CustomerNumber)).toEqual(['1']);
    expect(seen).toEqual([{ email: 'info@acme.se', page: '1', limit: '500' }]);
  });

  it('finds by phone across formats with one search parameter per request, deduplicated', async () => {
    const seen: Array<Record<string, string>> = [];
    server.use(
      searchHandler(
        [
          listItem('1', { Phone: '070-123 45 67' }),
          listItem('2', { Phone: '+46701234567' }),
          listItem('3', { Phone: '070-123 45 678' }),
        ],
        seen,
      ),
    );
    const found = (await client().customers.findByPhone('070-123 45 67'))._unsafeUnwrap();
    expect(found.map((c) => c.CustomerNumber)).toEqual(['1', '2']);
    expect(seen.map((params) => params.phone)).toEqual([
      '070-123 45 67',
      '0701234567',
      '+46701234567',
      '+46 70 123 45 67',
      '070 123 45 67',
      '070-1234567',
    ]);
    expect(seen.every((params) => Object.keys(params).length === 3)).toBe(true);
    // Written any usual way, the input searches the same renderings.
    seen.length = 0;
    await client().customers.findByPhone('+46707654321');
    expect(new Set(seen.map((params) => params.phone))).toEqual(
      new Set([
        '+46707654321',
        '0707654321',
        '070-765 43 21',
        '+46 70 765 43 21',
        '070 765 43 21',
        '070-7654321',
      ]),
    );
  });

  it('searches only the first spellings with maxSpellings, and refuses a bad limit without a request', async () => {
    const seen: Array<Record<string, string>> = [];
    server.use(
      searchHandler(
        [listItem('1', { Phone: '070-123 45 67' }), listItem('2', { Phone: '0701234567' })],
        seen,
      ),
    );
    const found = (
      await client().customers.findByPhone('070-123 45 67', undefined, { maxSpellings: 2 })
    )._unsafeUnwrap();
    expect(found.map((c) => c.CustomerNumber)).toEqual(['1', '2']);
    expect(seen.map((params) => params.phone)).toEqual(['070-123 45 67', '0701234567']);
    seen.length = 0;
    for (const maxSpellings of [0, 1.5, Number.NaN]) {
      const refused = (
        await client().customers.findByPhone('070-123 45 67', undefined, { maxSpellings })
      )._unsafeUnwrapErr();
      expect(refused.kind).toBe('validation');
    }
    expect(seen).toEqual([]);
  });

  it('finds by name ignoring case and extra spaces', async () => {
    server.use(
      searchHandler(
        [listItem('1', { Name: 'Acme  AB' }), listItem('2', { Name: 'Acme AB Holding' })],
        [],
      ),
    );
    const found = (await client().customers.findByName('acme ab'))._unsafeUnwrap();
    expect(found.map((c) => c.CustomerNumber)).toEqual(['1']);
  });

  it('rejects empty input without a request, and passes search errors through', async () => {
    const { customers } = client();
    expect((await customers.findByEmail('  '))._unsafeUnwrapErr().kind).toBe('validation');
    expect((await customers.findByOrganisationNumber('--'))._unsafeUnwrapErr().kind).toBe(
      'validation',
    );
    server.use(
      http.get(`${API}/3/customers`, () =>
        HttpResponse.json(errorBody(2000663, 'Saknar behörighet'), { status: 403 }),
      ),
    );
    expect((await customers.findByEmail('a@b.se'))._unsafeUnwrapErr()).toMatchObject({
      kind: 'api',
      status: 403,
      code: 2000663,
    });
  });
});
