import { describe, expect, it } from 'vitest';
import {
  completeness,
  diffOwnedFields,
  fillFromMoreComplete,
  fingerprint,
  type NormalizedCustomer,
} from '../../src/mapping/index.js';

const customer: NormalizedCustomer = {
  Name: 'Acme Bygg AB',
  Email: 'info@acme.se',
  Phone1: '08-123 456 78',
  Type: 'COMPANY',
  Address1: 'Storgatan 1',
  ZipCode: '264 32',
  City: 'Ängelholm',
  CountryCode: 'SE',
  OrganisationNumber: '556036-0793',
  Active: true,
  ExternalReference: 'cust-42',
};

describe('fingerprint', () => {
  it('is a SHA-256 hex that ignores key order', () => {
    const reversed = Object.fromEntries(Object.entries(customer).reverse()) as NormalizedCustomer;
    expect(fingerprint(customer)).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint(reversed)).toBe(fingerprint(customer));
  });

  it('is stable across runs (pinned: a change of recipe must bump its version)', () => {
    expect(fingerprint(customer)).toBe(
      'c9e584a99930a4cb7f695c29fe282bf453de5d48e3091791500de40d127013dd',
    );
  });

  it('changes with any owned value, not with other keys', () => {
    expect(fingerprint({ ...customer, Active: false })).not.toBe(fingerprint(customer));
    expect(fingerprint({ ...customer, City: null })).not.toBe(fingerprint(customer));
    expect(fingerprint({ ...customer, Comments: 'x' } as NormalizedCustomer)).toBe(
      fingerprint(customer),
    );
  });
});

describe('diffOwnedFields', () => {
  it('lists the differing fields with before and after', () => {
    const changed = { ...customer, Phone1: '070-123 45 67', City: null };
    expect(diffOwnedFields(customer, changed)).toEqual([
      { field: 'Phone1', before: '08-123 456 78', after: '070-123 45 67' },
      { field: 'City', before: 'Ängelholm', after: null },
    ]);
    expect(diffOwnedFields(customer, { ...customer })).toEqual([]);
  });

  it('does not compare fields unknown on one side', () => {
    expect(diffOwnedFields(customer, { Name: 'Acme AB', Email: 'info@acme.se' })).toEqual([
      { field: 'Name', before: 'Acme Bygg AB', after: 'Acme AB' },
    ]);
  });
});

describe('completeness', () => {
  it('scores the informative fields', () => {
    expect(completeness(customer)).toEqual({
      score: 1,
      filled: [
        'Name',
        'Email',
        'Phone1',
        'Address1',
        'ZipCode',
        'City',
        'CountryCode',
        'OrganisationNumber',
      ],
      missing: [],
    });
    const sparse = completeness({ Name: 'Acme', Email: null, Type: 'COMPANY' });
    expect(sparse.score).toBe(1 / 8);
    expect(sparse.missing).toContain('Email');
  });
});

describe('fillFromMoreComplete', () => {
  it('fills only fields known to be empty in Fortnox', () => {
    const fortnox = {
      Name: 'ACME',
      Email: null,
      Phone1: '070-000 00 00',
      Address1: null,
      ZipCode: null,
    };
    expect(fillFromMoreComplete(customer, fortnox)).toEqual({
      fields: ['Email', 'Address1', 'ZipCode'],
      write: { Email: 'info@acme.se', Address1: 'Storgatan 1', ZipCode: '264 32' },
    });
  });

  it('fills nothing when the source has nothing to add', () => {
    const empty = { ...customer, Email: null };
    expect(fillFromMoreComplete(empty, { Email: null })).toEqual({ fields: [], write: {} });
  });
});
