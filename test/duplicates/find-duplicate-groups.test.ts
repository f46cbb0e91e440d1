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
});
