/** What Fortnox returns is read tolerantly: its quirks (API-FACTS §1, §4) pass, unknown keys are kept. */
import { describe, expect, it } from 'vitest';
import { createFortnoxClient } from '../../src/client/index.js';
import {
  API,
  HttpResponse,
  http,
  listBody,
  listItem,
  useMockServer,
} from './support/fortnox-api.js';

const server = useMockServer();
const client = () =>
  createFortnoxClient({ auth: { type: 'access-token', accessToken: 't' }, apiBaseUrl: API });

describe('tolerant response schemas', () => {
  it('read a record with numbers as strings (and back), "" and null, and unknown fields', async () => {
    server.use(
      http.get(`${API}/3/customers/:n`, () =>
        HttpResponse.json({
          Customer: {
            CustomerNumber: 1001,
            Name: 'Acme AB',
            Email: '',
            Phone1: null,
            ZipCode: 26432,
            Active: 'true',
            InvoiceDiscount: '2,5',
            Type: 'company',
            FieldFortnoxAddedLater: { nested: true },
          },
        }),
      ),
    );
    const customer = (await client().customers.get('1001'))._unsafeUnwrap();
    expect(customer).toMatchObject({
      CustomerNumber: '1001',
      Email: '',
      Phone1: null,
      ZipCode: '26432',
      Active: true,
      InvoiceDiscount: 2.5,
      Type: 'COMPANY',
      FieldFortnoxAddedLater: { nested: true },
    });
  });

  it('read a list page whose items and counters come in either form', async () => {
    server.use(
      http.get(`${API}/3/customers`, () =>
        HttpResponse.json({
          ...listBody([listItem('1', { CustomerNumber: 1, Email: '', Phone: 701234567 })], 1, 1),
          MetaInformation: { '@TotalResources': '1', '@TotalPages': '1', '@CurrentPage': '1' },
        }),
      ),
    );
    const page = (await client().customers.list())._unsafeUnwrap();
    expect(page).toMatchObject({ totalResources: 1, totalPages: 1, currentPage: 1 });
    expect(page.customers[0]).toMatchObject({ CustomerNumber: '1', Email: '', Phone: '701234567' });
  });
});
