import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CUSTOMER_SEARCH_PARAMS,
  type CustomerListQuery,
  parseCustomerListQuery,
} from '../../src/client/index.js';
import { formatStockholmDateTime } from '../../src/fortnox/index.js';

describe('formatStockholmDateTime', () => {
  it('uses CEST in summer and CET in winter', () => {
    expect(formatStockholmDateTime(new Date('2024-07-01T10:00:00Z'))).toBe('2024-07-01 12:00:00');
    expect(formatStockholmDateTime(new Date('2024-01-15T23:30:05Z'))).toBe('2024-01-16 00:30:05');
  });
  it('always yields YYYY-MM-DD HH:MM:SS', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }),
        (date) => {
          expect(formatStockholmDateTime(date)).toMatch(
            /^\d{4}-\d{2}-\d{2} ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/,
          );
        },
      ),
    );
  });
});

describe('parseCustomerListQuery', () => {
  it('serialises every parameter of API-FACTS §1', () => {
    const params = parseCustomerListQuery({
      page: 2,
      limit: 500,
      offset: 10,
      sortby: 'name',
      sortorder: 'descending',
      filter: 'inactive',
      lastmodified: new Date('2024-07-01T10:00:00Z'),
      customernumber: '10',
      name: 'Acme',
      email: 'a@b.se',
      phone: '070',
      organisationnumber: '556000',
      zipcode: '264 32',
      city: 'Lund',
      gln: '7300010000001',
      glndelivery: '7300010000002',
    })._unsafeUnwrap();
    expect(Object.fromEntries(params)).toEqual({
      page: '2',
      limit: '500',
      offset: '10',
      sortby: 'name',
      sortorder: 'descending',
      filter: 'inactive',
      lastmodified: '2024-07-01 12:00:00',
      customernumber: '10',
      name: 'Acme',
      email: 'a@b.se',
      phone: '070',
      organisationnumber: '556000',
      zipcode: '264 32',
      city: 'Lund',
      gln: '7300010000001',
      glndelivery: '7300010000002',
    });
  });

  it('accepts lastmodified strings in the three documented forms', () => {
    for (const value of ['2024-02-29', '2024-02-29 23:59', '2024-02-29 23:59:59']) {
      expect(
        parseCustomerListQuery({ lastmodified: value })._unsafeUnwrap().get('lastmodified'),
      ).toBe(value);
    }
  });

  it.each<[string, CustomerListQuery]>([
    ['limit above 500', { limit: 501 }],
    ['limit 0', { limit: 0 }],
    ['page 0', { page: 0 }],
    ['fractional page', { page: 1.5 }],
    ['negative offset', { offset: -1 }],
    ['unknown sortby', { sortby: 'email' as 'name' }],
    ['unknown filter', { filter: 'all' as 'active' }],
    ['malformed lastmodified', { lastmodified: '2024-13-01' }],
    ['impossible day', { lastmodified: '2023-02-29' }],
    ['lastmodified with T', { lastmodified: '2024-01-01T10:00' }],
    ['invalid Date', { lastmodified: new Date('nope') }],
    ['empty search', { email: '   ' }],
    ['unknown key', { organisationNumber: '1' } as CustomerListQuery],
  ])('rejects %s with a validation error', (_, query) => {
    const error = parseCustomerListQuery(query)._unsafeUnwrapErr();
    expect(error.kind).toBe('validation');
    expect(error.issues.length).toBeGreaterThan(0);
  });

  it('never puts a search value into the error message', () => {
    const error = parseCustomerListQuery({
      email: 'x'.repeat(2000),
      name: 'Secret Person',
      limit: 900,
    })._unsafeUnwrapErr();
    expect(JSON.stringify(error)).not.toContain('xxxxxxxx');
    expect(JSON.stringify(error)).not.toContain('Secret Person');
  });

  it('passes every search parameter through trimmed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CUSTOMER_SEARCH_PARAMS),
        fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== ''),
        (name, value) => {
          const params = parseCustomerListQuery({ [name]: value })._unsafeUnwrap();
          expect(params.get(name)).toBe(value.trim());
        },
      ),
    );
  });
});
