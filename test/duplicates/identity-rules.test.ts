import { describe, expect, it } from 'vitest';
import {
  createCustomerIndex,
  createDuplicateResolver,
  type ResolveResult,
} from '../../src/duplicates/index.js';
import { listItem, PNR, source } from './fixtures.js';

const resolver = createDuplicateResolver();

function target(result: ResolveResult) {
  const { decision } = result;
  if (decision.kind === 'link' || decision.kind === 'update-existing') {
    return { customerNumber: decision.customerNumber, reason: decision.reason };
  }
  return decision.kind;
}

describe('organisation number as identity', () => {
  it('links every written form of one organisation number to each other', () => {
    const forms = ['556036-0793', '5560360793', '16556036-0793', 'SE556036079301'];
    for (const stored of forms) {
      const index = createCustomerIndex([
        listItem('7', { Name: 'Volvo Personvagnar', OrganisationNumber: stored }),
      ]);
      for (const given of forms) {
        const result = resolver.resolve(
          source({ type: 'company', name: 'AB Volvo', organisationNumber: given }),
          index,
        );
        expect(target(result), `${stored} ~ ${given}`).toEqual({
          customerNumber: '7',
          reason: 'organisation-number',
        });
      }
    }
  });

  it('links a sole trader (enskild firma) on the personnummer that is its organisation number', () => {
    const index = createCustomerIndex([
      listItem('3', { Name: 'Anderssons Bygg', OrganisationNumber: PNR.a, Type: 'COMPANY' }),
    ]);
    const result = resolver.resolve(
      source({
        type: 'company',
        name: 'Anna Andersson Snickeri',
        organisationNumber: PNR.a.slice(2),
      }),
      index,
    );
    expect(target(result)).toEqual({ customerNumber: '3', reason: 'organisation-number' });
  });
});
