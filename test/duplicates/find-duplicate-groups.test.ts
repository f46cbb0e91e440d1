import { describe, expect, it } from 'vitest';
import { createCustomerIndex, findDuplicateGroups } from '../../src/duplicates/index.js';
import { listItem, ORG } from './fixtures.js';

describe('findDuplicateGroups', () => {
  const inventory = [
    listItem('1', { Name: 'Volvo', OrganisationNumber: '5560360793' }),
    listItem('2', {
      Name: 'AB Volvo',
      OrganisationNumber: ORG.volvo,
      Email: 'info@volvo.se',
      City: 'Göteborg',
    }),
    listItem('3', { Name: 'Anna Andersson', Phone: '070-123 45 67' }),
    listItem('4', { Name: 'Andersson, Anna', Phone: '+46701234567', Email: 'anna@a.se' }),
    listItem('5', { Name: 'Anna Andersson', Phone: '070-765 43 21' }),
    listItem('6', { Name: 'Anna Andersson', Email: 'anna@a.se' }),
    listItem('7', { Name: 'Ericsson', OrganisationNumber: ORG.ericsson }),
    listItem('8', { Name: 'Ericsson' }),
  ];

  it('groups strong matches transitively and suggests the most complete survivor', () => {
    const groups = findDuplicateGroups(inventory);
    expect(groups.map((g) => g.customerNumbers)).toEqual([
      ['1', '2'],
      ['3', '4', '6'],
    ]);
    expect(groups.map((g) => g.survivor)).toEqual(['2', '4']);
    expect(groups[0]?.pairs).toEqual([
      expect.objectContaining({ customerNumbers: ['1', '2'], reason: 'organisation-number' }),
    ]);
    expect(groups[1]?.pairs.map((p) => [p.customerNumbers, p.reason])).toEqual([
      [['3', '4'], 'name-and-phone'],
      [['4', '6'], 'name-and-email'],
    ]);
  });

  it('never groups on a name alone and accepts a ready index', () => {
    const groups = findDuplicateGroups(createCustomerIndex(inventory));
    const grouped = groups.flatMap((g) => g.customerNumbers);
    expect(grouped).not.toContain('5');
    expect(grouped).not.toContain('8');
    expect(findDuplicateGroups([])).toEqual([]);
  });

  it('never joins two organisation numbers in one group through a customer without one', () => {
    const chain = [
      listItem('1', { Name: 'Acme AB', OrganisationNumber: ORG.volvo, Email: 'info@acme.se' }),
      listItem('2', { Name: 'Acme AB', Email: 'info@acme.se', Phone: '08-123 456 78' }),
      listItem('3', { Name: 'Acme AB', OrganisationNumber: ORG.ericsson, Phone: '08-123 456 78' }),
    ];
    for (const order of [chain, [...chain].reverse()]) {
      const groups = findDuplicateGroups(order);
      for (const group of groups) {
        expect(group.customerNumbers).not.toEqual(expect.arrayContaining(['1', '3']));
      }
      expect(groups.flatMap((group) => group.customerNumbers)).toContain('2');
    }
  });

  it('never joins a private person and a company through a customer of unknown type', () => {
    const chain = [
      listItem('1', { Name: 'Anna Andersson', Type: 'PRIVATE', Phone: '070-123 45 67' }),
      listItem('2', { Name: 'Anna Andersson', Phone: '070-123 45 67', Email: 'anna@a.se' }),
      listItem('3', { Name: 'Anna Andersson', Type: 'COMPANY', Email: 'anna@a.se' }),
    ];
    for (const order of [chain, [...chain].reverse()]) {
      for (const group of findDuplicateGroups(order)) {
        expect(group.customerNumbers).not.toEqual(expect.arrayContaining(['1', '3']));
      }
    }
  });

  it('gives the same groups and pairs whatever order the inventory is in', () => {
    const more = [
      ...inventory,
      listItem('9', { Name: 'Volvo Cars', OrganisationNumber: ORG.volvo }),
    ];
    expect(findDuplicateGroups([...more].reverse())).toEqual(findDuplicateGroups(more));
  });

  it('reads an organisation-number block in full, however small maxBlockSize is', () => {
    const same = ['1', '2', '3'].map((number) =>
      listItem(number, { Name: 'Volvo', OrganisationNumber: ORG.volvo, City: 'Göteborg' }),
    );
    const groups = findDuplicateGroups(same, { maxBlockSize: 1 });
    expect(groups.map((group) => group.customerNumbers)).toEqual([['1', '2', '3']]);
  });
});
