/**
 * Fortnox reports an unset address, phone or country field as `null` in a single record (GET, POST,
 * PUT) and as `""` in a list item (recorded; the emulator answers alike). Everything that compares
 * must treat `null`, `""` and an absent field alike, on both shapes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CustomerListResponseSchema,
  CustomerResponseSchema,
  type FortnoxCustomer,
  type FortnoxCustomerListItem,
} from '../../src/fortnox/index.js';
import {
  COMPLETENESS_FIELDS,
  completeness,
  diffOwnedFields,
  fillFromMoreComplete,
  fingerprint,
  fromFortnoxCustomer,
  normalizeFortnoxCustomer,
  normalizeSourceCustomer,
  type OwnedFieldValues,
  type SourceCustomer,
} from '../../src/mapping/index.js';
import { createEmulatorCore } from '../../src/testing/index.js';

/** The fields recorded as `null` in a record and `""` in a list item when unset. */
const UNSET_FIELDS = [
  'Address1',
  'Address2',
  'City',
  'ZipCode',
  'Phone1',
  'CostCenter',
  'Country',
  'CountryCode',
  'DeliveryAddress1',
  'DeliveryAddress2',
  'DeliveryCity',
  'DeliveryZipCode',
  'DeliveryCountry',
  'DeliveryCountryCode',
] as const;

const source: SourceCustomer = {
  id: 'src-1',
  type: 'private',
  name: 'Anna Andersson',
  email: 'anna@example.se',
  organisationNumber: '19811218-9876',
  active: true,
};

let record: FortnoxCustomer;
let item: FortnoxCustomerListItem;

/** Creates the customer in the emulator and reads it back as a record and as a list item. */
beforeAll(async () => {
  const emulator = createEmulatorCore({ rateLimit: false });
  const token = emulator.issueAccessToken();
  const call = async (method: string, body?: unknown) =>
    (
      await emulator.handle(
        new Request('https://api.fortnox.se/3/customers', {
          method,
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }),
      )
    ).json();
  const created = await call('POST', {
    Customer: {
      Name: source.name,
      Type: 'PRIVATE',
      Email: source.email,
      OrganisationNumber: source.organisationNumber,
      ExternalReference: source.id,
    },
  });
  record = CustomerResponseSchema.parse(created).Customer;
  const [first] = CustomerListResponseSchema.parse(await call('GET')).Customers;
  if (first === undefined) throw new Error('the list is empty');
  item = first;
});

/** The record with every unset field written another way: `""`, or left out. */
function variant(way: 'empty' | 'absent'): FortnoxCustomer {
  const copy: Record<string, unknown> = { ...record };
  for (const field of UNSET_FIELDS) {
    if (way === 'empty') copy[field] = '';
    else delete copy[field];
  }
  return copy as FortnoxCustomer;
}

describe('the two shapes, as the emulator gives them', () => {
  it('a record has null, a list item "" for the unset fields', () => {
    for (const field of UNSET_FIELDS) expect(record[field], field).toBeNull();
    expect([item.Address1, item.Address2, item.City, item.ZipCode, item.Phone]).toEqual([
      '',
      '',
      '',
      '',
      '',
    ]);
  });
});

describe('reading and comparing treat null, "" and absent alike', () => {
  it('fromFortnoxCustomer reads no value from a record and from a list item', () => {
    for (const shape of [record, variant('empty'), variant('absent'), item]) {
      const read = fromFortnoxCustomer(shape);
      expect(read.phone).toBeNull();
      expect(read.address).toMatchObject({ street: null, postalCode: null, city: null });
    }
    expect(fromFortnoxCustomer(variant('empty')).address.countryCode).toBeNull();
  });

  it('normalizeFortnoxCustomer gives the same values for null, "" and absent', () => {
    const normalized = normalizeFortnoxCustomer(record);
    expect(normalizeFortnoxCustomer(variant('empty'))).toEqual(normalized);
    expect(normalizeFortnoxCustomer(variant('absent'))).toEqual(normalized);
    expect(normalized).toMatchObject({
      Phone1: null,
      Address1: null,
      ZipCode: null,
      City: null,
      CountryCode: null,
    });
  });

  it('diffOwnedFields finds no difference between the record, its list item and the source', () => {
    const fromSource = normalizeSourceCustomer(source)._unsafeUnwrap();
    const fromRecord = normalizeFortnoxCustomer(record);
    const fromItem = normalizeFortnoxCustomer(item);
    expect(diffOwnedFields(fromRecord, fromItem)).toEqual([]);
    expect(diffOwnedFields(fromSource, fromRecord)).toEqual([]);
    expect(diffOwnedFields(fromSource, fromItem)).toEqual([]);
    expect(diffOwnedFields(fromSource, normalizeFortnoxCustomer(variant('empty')))).toEqual([]);
  });

  it('fingerprint and completeness are equal for null, "" and absent', () => {
    const shapes = [record, variant('empty'), variant('absent')].map((shape) =>
      normalizeFortnoxCustomer(shape),
    );
    expect(new Set(shapes.map(fingerprint)).size).toBe(1);
    const expected = completeness(shapes[0] ?? {});
    expect(expected.filled).toEqual(['Name', 'Email', 'OrganisationNumber']);
    for (const shape of shapes) expect(completeness(shape)).toEqual(expected);
    // A list item cannot tell CountryCode: missing there as well, so the same fields count.
    expect(completeness(normalizeFortnoxCustomer(item))).toEqual(expected);
    // Only what a list item cannot know (Type, Active, ExternalReference) tells the two apart.
    const {
      Type: _type,
      Active: _active,
      ExternalReference: _reference,
      ...known
    } = shapes[0] ?? {};
    expect(fingerprint(normalizeFortnoxCustomer(item))).toBe(fingerprint(known));
  });
});

describe('owned values handed in directly: "" is empty, like null', () => {
  const filled = normalizeSourceCustomer({
    ...source,
    phone: '070-123 45 67',
    address: { street: 'Storgatan 1', postalCode: '11122', city: 'Stockholm', countryCode: 'SE' },
  })._unsafeUnwrap();
  const withNulls: OwnedFieldValues = { ...filled, City: null, Phone1: null, Address1: null };
  const withEmpty: OwnedFieldValues = { ...filled, City: '', Phone1: '', Address1: '  ' };

  it('diffOwnedFields sees no difference between "" and null', () => {
    expect(diffOwnedFields(withNulls, withEmpty)).toEqual([]);
    expect(diffOwnedFields(filled, withEmpty).map((difference) => difference.field)).toEqual([
      'Phone1',
      'Address1',
      'City',
    ]);
    expect(diffOwnedFields(filled, withEmpty)[0]).toMatchObject({ after: null });
  });

  it('fingerprint hashes "" like null', () => {
    expect(fingerprint(withEmpty)).toBe(fingerprint(withNulls));
    expect(fingerprint(withEmpty)).not.toBe(fingerprint(filled));
  });

  it('fillFromMoreComplete fills a field that is "" as it fills one that is null', () => {
    const fromEmpty = fillFromMoreComplete(filled, withEmpty);
    expect(fromEmpty).toEqual(fillFromMoreComplete(filled, withNulls));
    expect(fromEmpty.fields).toEqual(['Phone1', 'Address1', 'City']);
  });

  it('completeness counts "" as missing', () => {
    expect(completeness(withEmpty)).toEqual(completeness(withNulls));
    expect(completeness(withEmpty).missing).toEqual(
      COMPLETENESS_FIELDS.filter((field) => ['Phone1', 'Address1', 'City'].includes(field)),
    );
  });
});
