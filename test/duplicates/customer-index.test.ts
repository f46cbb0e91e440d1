import { describe, expect, it } from 'vitest';
import { createCustomerIndex, type IndexableCustomer } from '../../src/duplicates/index.js';
import { fullRecord, listItem, ORG, PNR } from './fixtures.js';

describe('createCustomerIndex', () => {
  it('indexes list items and full records, reading a list item’s Phone as Phone1', () => {
    const index = createCustomerIndex([
      listItem('1', { Name: 'Anna', Phone: '070-123 45 67' }),
      fullRecord('2', { Name: 'Volvo', OrganisationNumber: ORG.volvo, ExternalReference: 'src-9' }),
    ]);
    expect(index.size).toBe(2);
    expect(index.get('1')?.values.Phone1).toBe('070-123 45 67');
    expect(index.get('1')?.values.CountryCode).toBeUndefined();
    expect(index.get('2')?.features).toMatchObject({ kind: 'company', identity: 'o:5560360793' });
    expect(index.block('x:src-9').map((e) => e.customerNumber)).toEqual(['2']);
    expect(index.block('i:5560360793').map((e) => e.customerNumber)).toEqual(['2']);
  });

  it('infers the kind of a list item from its identity number', () => {
    const index = createCustomerIndex([
      listItem('1', { Name: 'A', OrganisationNumber: PNR.a }),
      listItem('2', { Name: 'B', OrganisationNumber: ORG.city }),
      listItem('3', { Name: 'C' }),
    ]);
    expect([...index.values()].map((e) => e.features.kind)).toEqual([
      'private',
      'company',
      undefined,
    ]);
  });

  it('adds (replacing), updates (merging) and removes incrementally', () => {
    const index = createCustomerIndex([
      fullRecord('5', { Name: 'Acme AB', Email: 'a@acme.se', ExternalReference: 'src-1' }),
    ]);
    index.update(listItem('5', { Name: 'Acme Sverige AB', Email: 'b@acme.se' }));
    expect(index.get('5')?.values).toMatchObject({
      Name: 'Acme Sverige AB',
      ExternalReference: 'src-1',
      Type: 'COMPANY',
    });
    expect(index.block('e:a@acme.se')).toEqual([]);
    expect(index.block('e:b@acme.se').map((e) => e.customerNumber)).toEqual(['5']);
    expect(index.block('x:src-1')).toHaveLength(1);

    index.add(listItem('5', { Name: 'Acme Sverige AB' }));
    expect(index.block('x:src-1')).toEqual([]);
    expect(index.get('5')?.values.ExternalReference).toBeUndefined();

    index.add(listItem('6', { Name: 'Other', Email: 'b@acme.se' }));
    index.add(listItem('7', { Name: 'Third', Email: 'b@acme.se' }));
    expect(index.block('e:b@acme.se').map((e) => e.customerNumber)).toEqual(['6', '7']);
    expect(index.remove('6')).toBe(true);
    expect(index.remove('6')).toBe(false);
    expect(index.block('e:b@acme.se').map((e) => e.customerNumber)).toEqual(['7']);
    expect(index.size).toBe(2);
  });

  it('counts completeness as the mapper does (blank is empty)', () => {
    const index = createCustomerIndex([
      listItem('1', { Name: 'A', Email: 'a@a.se', City: 'Lund', ZipCode: ' ' }),
    ]);
    // Name, Email and City.
    expect(index.get('1')?.completeness).toBe(3);
  });

  it('reads values defensively: numbers as text, other types as unknown', () => {
    const raw = {
      CustomerNumber: '1',
      Name: 'Anna',
      ZipCode: 41101,
      Email: { x: 1 },
      Type: 'private',
    };
    const index = createCustomerIndex([raw as unknown as IndexableCustomer]);
    expect(index.get('1')?.values).toEqual({ Name: 'Anna', ZipCode: '41101', Type: 'PRIVATE' });
    expect(index.get('1')?.features.kind).toBe('private');
  });

  it('rejects a customer without a customer number', () => {
    expect(() => createCustomerIndex([{ CustomerNumber: ' ', Name: 'x' }])).toThrow(
      /CustomerNumber/,
    );
  });
});
