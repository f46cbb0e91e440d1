import { describe, expect, it } from 'vitest';
import { createCustomerIndex, createDuplicateResolver } from '../../src/duplicates/index.js';
import { fullRecord, listItem, ORG, source } from './fixtures.js';

const company = source({
  type: 'company',
  name: 'Volvo AB',
  organisationNumber: ORG.volvo,
  email: 'info@volvo.se',
  phone: '031-66 00 00',
  address: {
    street: 'Gunnar Engellaus väg 8',
    postalCode: '405 31',
    city: 'Göteborg',
    countryCode: 'SE',
  },
});

describe('update-existing: the more complete data wins', () => {
  it('fills the fields Fortnox holds empty and never overwrites the bookkeeper’s values', () => {
    const index = createCustomerIndex([
      fullRecord('7', {
        Name: 'AB Volvo',
        OrganisationNumber: ORG.volvo,
        City: 'Torslanda',
        Email: '',
        ZipCode: null,
      }),
    ]);
    const { decision } = createDuplicateResolver().resolve(company, index);
    expect(decision).toMatchObject({
      kind: 'update-existing',
      customerNumber: '7',
      reason: 'organisation-number',
    });
    expect(decision.kind === 'update-existing' && decision.fields).toEqual([
      'Email',
      'Phone1',
      'Address1',
      'ZipCode',
      'ExternalReference',
    ]);
  });

  it('fills the organisation number of a company found by name and e-mail', () => {
    const index = createCustomerIndex([
      listItem('9', { Name: 'AB Volvo', Email: 'info@volvo.se' }),
    ]);
    const { decision } = createDuplicateResolver().resolve(company, index);
    expect(decision).toMatchObject({
      kind: 'update-existing',
      customerNumber: '9',
      reason: 'name-and-email',
    });
    expect(decision.kind === 'update-existing' && decision.fields).toContain('OrganisationNumber');
  });

  it('lists differing fields too when configured to overwrite', () => {
    const index = createCustomerIndex([
      fullRecord('7', {
        Name: 'AB Volvo',
        OrganisationNumber: ORG.volvo,
        City: 'Torslanda',
        Email: 'INFO@volvo.se',
        Phone1: '+46 31 66 00 00',
      }),
    ]);
    const { decision } = createDuplicateResolver({ fillPolicy: 'overwrite' }).resolve(
      company,
      index,
    );
    // E-mail and phone are equal once normalised, so they are not rewritten.
    expect(decision.kind === 'update-existing' && decision.fields).toEqual([
      'Address1',
      'ZipCode',
      'City',
      'ExternalReference',
    ]);
  });

  it('only links when Fortnox already has everything, keeping another system’s reference', () => {
    const index = createCustomerIndex([
      fullRecord('7', {
        Name: 'Volvo',
        OrganisationNumber: '5560360793',
        Email: 'info@volvo.se',
        Phone1: '031-660000',
        Address1: 'x',
        ZipCode: '1',
        City: 'y',
        ExternalReference: 'crm-7',
      }),
    ]);
    expect(createDuplicateResolver().resolve(company, index).decision.kind).toBe('link');
  });

  it('does not list fields a list item does not carry (CountryCode, Type)', () => {
    const index = createCustomerIndex([
      listItem('7', { Name: 'Volvo', OrganisationNumber: ORG.volvo }),
    ]);
    const { decision } = createDuplicateResolver({ fillPolicy: 'overwrite' }).resolve(
      company,
      index,
    );
    // "Volvo" and "Volvo AB" are the same name once the legal form is set aside.
    expect(decision.kind === 'update-existing' && decision.fields).toEqual([
      'Email',
      'Phone1',
      'Address1',
      'ZipCode',
      'City',
    ]);
  });
});
