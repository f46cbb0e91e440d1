import { describe, expect, it } from 'vitest';
import {
  createCustomerIndex,
  createDuplicateResolver,
  type ResolveResult,
} from '../../src/duplicates/index.js';
import { listItem, ORG, PNR, source } from './fixtures.js';

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

  it('does not trust an ExternalReference on a customer whose organisation number differs', () => {
    // Another integration wrote "42" into customer 1's ExternalReference.
    const index = createCustomerIndex([
      listItem('1', {
        Name: 'Other AB',
        OrganisationNumber: ORG.ericsson,
        ExternalReference: '42',
      }),
      listItem('2', { Name: 'Volvo', OrganisationNumber: ORG.volvo }),
    ]);
    const result = resolver.resolve(
      { id: '42', type: 'company', name: 'Volvo', organisationNumber: ORG.volvo },
      index,
    );
    expect(target(result)).toEqual({ customerNumber: '2', reason: 'organisation-number' });
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ code: 'conflicting-external-reference', customerNumbers: ['1'] }),
    );
  });

  it('asks about a referenced customer whose organisation number differs rather than creating', () => {
    // Our own customer, whose organisation number the source has since corrected.
    const index = createCustomerIndex([
      listItem('1', {
        Name: 'Zeta Konsult',
        OrganisationNumber: ORG.other,
        ExternalReference: '42',
      }),
    ]);
    const result = resolver.resolve(
      { id: '42', type: 'company', name: 'Omega Design', organisationNumber: ORG.volvo },
      index,
    );
    expect(result.decision).toMatchObject({
      kind: 'ask',
      candidates: [expect.objectContaining({ customerNumber: '1' })],
    });
  });

  it('still links on ExternalReference when the organisation number was only missing', () => {
    const index = createCustomerIndex([
      listItem('1', { Name: 'Zeta Konsult', ExternalReference: '42' }),
    ]);
    const result = resolver.resolve(
      { id: '42', type: 'company', name: 'Zeta Konsult AB', organisationNumber: ORG.volvo },
      index,
    );
    expect(target(result)).toEqual({ customerNumber: '1', reason: 'external-reference' });
  });

  it('among customers sharing one organisation number, links the one the rest of the data matches', () => {
    // A municipality: one organisation number, one Fortnox customer per department.
    const lund = '212000-1124';
    const index = createCustomerIndex([
      listItem('1', {
        Name: 'Lunds kommun Skolförvaltningen',
        OrganisationNumber: lund,
        Email: 'skola@lund.se',
        Address1: 'Stortorget 1',
        ZipCode: '222 23',
        City: 'Lund',
      }),
      listItem('2', {
        Name: 'Lunds kommun Tekniska förvaltningen',
        OrganisationNumber: lund,
        Email: 'teknik@lund.se',
        City: 'Lund',
      }),
    ]);
    const result = resolver.resolve(
      source({
        type: 'company',
        name: 'Lunds kommun, Tekniska förvaltningen',
        organisationNumber: '2120001124',
        email: 'teknik@lund.se',
      }),
      index,
    );
    expect(target(result)).toEqual({ customerNumber: '2', reason: 'organisation-number' });
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: 'multiple-matches', customerNumbers: ['2', '1'] }),
    ]);
  });

  it('warns about an invalid identity number in Sweden, not about a foreign one abroad', () => {
    const index = createCustomerIndex([]);
    const warningsFor = (countryCode: string | null) =>
      resolver
        .resolve(
          source({
            type: 'company',
            name: 'Nordic Tools AS',
            organisationNumber: '923 609 016',
            address: { countryCode },
          }),
          index,
        )
        .warnings.map((warning) => warning.code);
    expect(warningsFor('NO')).toEqual([]);
    expect(warningsFor('Norge')).toEqual([]);
    expect(warningsFor('SE')).toEqual(['invalid-identity-number']);
    expect(warningsFor(null)).toEqual(['invalid-identity-number']);
  });
});
