import { describe, expect, it } from 'vitest';
import {
  createCustomerIndex,
  createDuplicateResolver,
  type DuplicateDecision,
  type DuplicateResolver,
  type ResolvableCustomer,
  type ResolveResult,
  resolveAllWith,
} from '../../src/duplicates/index.js';
import { fullRecord, listItem, ORG, PNR, source } from './fixtures.js';

const resolver = createDuplicateResolver();

function linked(result: ResolveResult): { customerNumber: string; reason: string } | undefined {
  const { decision } = result;
  if (decision.kind !== 'link' && decision.kind !== 'update-existing') return undefined;
  return { customerNumber: decision.customerNumber, reason: decision.reason };
}

function kindOf(decision: DuplicateDecision) {
  return decision.kind === 'update-existing' ? 'link' : decision.kind;
}

describe('companies', () => {
  it('links on an equal organisation number, whatever its format or the name', () => {
    const index = createCustomerIndex([
      listItem('7', { Name: 'AB Volvo', OrganisationNumber: '5560360793' }),
      listItem('8', { Name: 'Volvo Personvagnar', OrganisationNumber: ORG.other }),
    ]);
    for (const organisationNumber of [
      '556036-0793',
      '16556036-0793',
      'SE556036079301',
      ' 556036 0793 ',
    ]) {
      const result = resolver.resolve(
        source({ type: 'company', name: 'Volvo Car Corp', organisationNumber }),
        index,
      );
      expect(linked(result)).toEqual({ customerNumber: '7', reason: 'organisation-number' });
      expect(result.warnings).toEqual([]);
    }
  });

  it('picks the most complete, then the lowest number, among several with the same number, and warns', () => {
    const index = createCustomerIndex([
      listItem('12', { Name: 'Ericsson', OrganisationNumber: ORG.ericsson, City: 'Stockholm' }),
      listItem('3', { Name: 'Ericsson', OrganisationNumber: ORG.ericsson }),
      listItem('10', { Name: 'Ericsson AB', OrganisationNumber: ORG.ericsson, City: 'Kista' }),
    ]);
    const result = resolver.resolve(
      source({ type: 'company', name: 'Ericsson', organisationNumber: ORG.ericsson }),
      index,
    );
    expect(linked(result)?.customerNumber).toBe('10');
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({
      code: 'multiple-matches',
      customerNumbers: ['10', '12', '3'],
    });
  });

  it('never links on the name alone, however exact', () => {
    const index = createCustomerIndex([
      listItem('1', { Name: 'Bygg & Måleri i Norr AB', City: 'Umeå' }),
    ]);
    const result = resolver.resolve(
      source({ type: 'company', name: 'Bygg & Måleri i Norr AB', address: { city: 'Umeå' } }),
      index,
    );
    expect(result.decision.kind).toBe('ask');
  });

  it('links a company without organisation number on name plus e-mail or phone, across legal-form spellings', () => {
    const index = createCustomerIndex([
      listItem('1', { Name: 'Bygg & Måleri i Norr Aktiebolag', Email: 'info@byggnorr.se' }),
      listItem('2', { Name: 'Norrlands Plåt HB', Phone: '090-12 34 56' }),
    ]);
    const byEmail = resolver.resolve(
      source({ type: 'company', name: 'BYGG & MALERI I NORR AB', email: 'INFO@byggnorr.se' }),
      index,
    );
    expect(linked(byEmail)).toEqual({ customerNumber: '1', reason: 'name-and-email' });
    const otherName = resolver.resolve(
      source({ type: 'company', name: 'Byggservice Syd AB', email: 'info@byggnorr.se' }),
      index,
    );
    expect(linked(otherName)).toBeUndefined();
    const byPhone = resolver.resolve(
      source({ type: 'company', name: 'Norrlands Plåt Handelsbolag', phone: '+46 90 12 34 56' }),
      index,
    );
    expect(linked(byPhone)).toEqual({ customerNumber: '2', reason: 'name-and-phone' });
  });

  it('does not link a company whose organisation number differs, even with the same name and e-mail', () => {
    const index = createCustomerIndex([
      listItem('1', { Name: 'Acme AB', Email: 'info@acme.se', OrganisationNumber: ORG.ericsson }),
    ]);
    const result = resolver.resolve(
      source({
        type: 'company',
        name: 'Acme AB',
        email: 'info@acme.se',
        organisationNumber: ORG.volvo,
      }),
      index,
    );
    expect(linked(result)).toBeUndefined();
  });

  it('warns when the organisation number is invalid and compares its digits only', () => {
    const index = createCustomerIndex([
      listItem('1', { Name: 'Acme AB', OrganisationNumber: '556036-0794' }),
    ]);
    const result = resolver.resolve(
      source({ type: 'company', name: 'Acme AB', organisationNumber: '5560360794' }),
      index,
    );
    expect(result.warnings.map((w) => w.code)).toContain('invalid-identity-number');
    expect(linked(result)).toBeUndefined();
    expect(result.decision.kind).toBe('ask');
  });
});

describe('private persons', () => {
  const anna = listItem('100', {
    Name: 'Anna Andersson',
    Phone: '070-123 45 67',
    City: 'Göteborg',
  });

  it('links on name plus phone, in any name order and phone format', () => {
    const index = createCustomerIndex([
      anna,
      listItem('101', { Name: 'Erik Andersson', Phone: '070-765 43 21' }),
    ]);
    for (const [name, phone] of [
      ['Anna Andersson', '+46 70 123 45 67'],
      ['Andersson, Anna', '0701234567'],
      ['ANDERSSON Anna', '0046 70-123 45 67'],
      ['Ana Andersson', '070 123 45 67'],
    ] as const) {
      const result = resolver.resolve(source({ type: 'private', name, phone }), index);
      expect(linked(result), name).toEqual({ customerNumber: '100', reason: 'name-and-phone' });
    }
  });

  it('folds å, ä, ö, é, ü, ø and æ', () => {
    const index = createCustomerIndex([
      listItem('5', { Name: 'Åsa Öberg-Müller', Phone: '08-123 456 78' }),
    ]);
    const result = resolver.resolve(
      source({ type: 'private', name: 'Asa Oberg Muller', phone: '08-12345678' }),
      index,
    );
    expect(linked(result)?.customerNumber).toBe('5');
    const nordic = createCustomerIndex([
      listItem('6', { Name: 'Søren Ærø', Email: 'soren@example.dk' }),
    ]);
    const danish = resolver.resolve(
      source({ type: 'private', name: 'Soren Aero', email: 'Soren@Example.dk' }),
      nordic,
    );
    expect(linked(danish)).toEqual({ customerNumber: '6', reason: 'name-and-email' });
  });

  it('does not link the same name when phone and e-mail differ (another person)', () => {
    const index = createCustomerIndex([
      listItem('100', { Name: 'Anna Andersson', Phone: '070-123 45 67', Email: 'anna@a.se' }),
    ]);
    const result = resolver.resolve(
      source({
        type: 'private',
        name: 'Anna Andersson',
        phone: '073-999 88 77',
        email: 'anna.a@b.se',
      }),
      index,
    );
    expect(kindOf(result.decision)).toBe('create');
  });

  it('does not link another family member sharing the phone', () => {
    const result = resolver.resolve(
      source({
        type: 'private',
        name: 'Erik Andersson',
        phone: '070-123 45 67',
        address: { city: 'Göteborg' },
      }),
      createCustomerIndex([anna]),
    );
    expect(linked(result)).toBeUndefined();
  });

  it('asks when a similar name shares the phone but the e-mail contradicts (a household member)', () => {
    const index = createCustomerIndex([
      listItem('100', { Name: 'Anna Andersson', Phone: '070-123 45 67', Email: 'anna@a.se' }),
    ]);
    const hanna = source({
      type: 'private',
      name: 'Hanna Andersson',
      phone: '070-123 45 67',
      email: 'hanna.andersson@b.se',
    });
    expect(resolver.resolve(hanna, index).decision.kind).toBe('ask');
    const anna = source({
      type: 'private',
      name: 'Anna Andersson',
      phone: '070-123 45 67',
      email: 'anna.new@a.se',
    });
    expect(linked(resolver.resolve(anna, index))).toEqual({
      customerNumber: '100',
      reason: 'name-and-phone',
    });
  });

  it('never links when the personnummer differs, even with equal name and phone', () => {
    const index = createCustomerIndex([
      listItem('100', {
        Name: 'Anna Andersson',
        Phone: '070-123 45 67',
        OrganisationNumber: PNR.a,
      }),
    ]);
    const result = resolver.resolve(
      source({
        type: 'private',
        name: 'Anna Andersson',
        phone: '070-123 45 67',
        organisationNumber: PNR.b,
      }),
      index,
    );
    expect(linked(result)).toBeUndefined();
  });

  it('links on an equal personnummer with a similar name (10- or 12-digit form)', () => {
    const index = createCustomerIndex([
      listItem('100', { Name: 'Anna Andersson', OrganisationNumber: '811218-9876' }),
    ]);
    const result = resolver.resolve(
      source({ type: 'private', name: 'Anna Anderson', organisationNumber: PNR.a }),
      index,
    );
    expect(linked(result)).toEqual({ customerNumber: '100', reason: 'personal-identity-number' });
  });

  it('links a phone one digit off only with the same name at the same address', () => {
    const index = createCustomerIndex([
      listItem('100', {
        Name: 'Anna Andersson',
        Phone: '070-123 45 67',
        Address1: 'Storgatan 1',
        ZipCode: '411 01',
      }),
    ]);
    const typo = { type: 'private', name: 'Anna Andersson', phone: '070-123 45 76' } as const;
    const home = resolver.resolve(
      source({ ...typo, address: { street: 'Storgatan 1', postalCode: '411 01' } }),
      index,
    );
    expect(linked(home)).toEqual({ customerNumber: '100', reason: 'name-and-address' });
    const elsewhere = resolver.resolve(
      source({ ...typo, address: { street: 'Kungsgatan 9', postalCode: '411 01' } }),
      index,
    );
    expect(linked(elsewhere)).toBeUndefined();
  });

  it('asks about a possible match (name and address, nothing that identifies)', () => {
    const index = createCustomerIndex([
      listItem('100', {
        Name: 'Anna Andersson',
        Address1: 'Storgatan 1',
        ZipCode: '411 01',
        City: 'Göteborg',
      }),
    ]);
    const result = resolver.resolve(
      source({
        type: 'private',
        name: 'Anna Andersson',
        address: { street: 'Storgatan 1', postalCode: '41101', city: 'Goteborg' },
      }),
      index,
    );
    expect(result.decision.kind).toBe('ask');
    if (result.decision.kind !== 'ask') return;
    const [candidate] = result.decision.candidates;
    expect(candidate?.customerNumber).toBe('100');
    const levels = Object.fromEntries(candidate!.evidence.fields.map((f) => [f.field, f.level]));
    expect(levels).toMatchObject({
      name: 'agree',
      street: 'agree',
      postalCode: 'agree',
      city: 'agree',
      phone: 'missing',
    });
    expect(candidate!.score).toBeCloseTo(
      candidate!.evidence.fields.reduce((sum, f) => sum + f.weight, 0),
    );
  });

  it('ranks ask candidates best first and honours maxCandidates', () => {
    const index = createCustomerIndex([
      listItem('1', { Name: 'Anna Andersson', City: 'Göteborg' }),
      listItem('2', { Name: 'Anna Andersson', City: 'Göteborg', ZipCode: '411 01' }),
      listItem('3', {
        Name: 'Anna Andersson',
        City: 'Göteborg',
        ZipCode: '411 01',
        Address1: 'Storgatan 1',
      }),
    ]);
    const query = source({
      type: 'private',
      name: 'Anna Andersson',
      address: { street: 'Storgatan 1', postalCode: '411 01', city: 'Göteborg' },
    });
    const result = createDuplicateResolver({ maxCandidates: 2 }).resolve(query, index);
    expect(
      result.decision.kind === 'ask' && result.decision.candidates.map((c) => c.customerNumber),
    ).toEqual(['3', '2']);
  });
});

describe('external reference and thresholds', () => {
  it('links with certainty when ExternalReference holds the source id', () => {
    const index = createCustomerIndex([
      fullRecord('42', { Name: 'Helt Annat Namn', ExternalReference: 's-1' }),
    ]);
    const result = resolver.resolve(source({ type: 'company', name: 'Acme AB' }), index);
    expect(linked(result)).toEqual({ customerNumber: '42', reason: 'external-reference' });
  });

  it('makes thresholds configurable', () => {
    // Name and address: no shared phone or e-mail, which a person is always asked about.
    const index = createCustomerIndex([
      listItem('100', { Name: 'Anna Andersson', Address1: 'Storgatan 1', ZipCode: '411 01' }),
    ]);
    const query = source({
      type: 'private',
      name: 'Anna Andersson',
      address: { street: 'Storgatan 1', postalCode: '411 01' },
    });
    expect(
      createDuplicateResolver({ linkThreshold: 60, askThreshold: 20 }).resolve(query, index)
        .decision.kind,
    ).toBe('ask');
    expect(
      createDuplicateResolver({ linkThreshold: 90, askThreshold: 80 }).resolve(query, index)
        .decision.kind,
    ).toBe('create');
  });

  it('skips a block larger than maxBlockSize with a warning, but never an identity block', () => {
    const namesakes = ['1', '2', '3'].map((n) =>
      listItem(n, { Name: 'Anna Andersson', OrganisationNumber: PNR.c }),
    );
    const small = createDuplicateResolver({ maxBlockSize: 2 });
    const byName = small.resolve(
      source({ type: 'private', name: 'Anna Andersson' }),
      createCustomerIndex(namesakes),
    );
    expect(byName.decision).toEqual({ kind: 'create' });
    expect(byName.warnings.map((w) => w.code)).toEqual(['blocking-limit']);
    const byNumber = small.resolve(
      source({ type: 'private', name: 'Anna Andersson', organisationNumber: PNR.c }),
      createCustomerIndex(namesakes),
    );
    expect(linked(byNumber)).toEqual({ customerNumber: '1', reason: 'personal-identity-number' });
  });

  it('creates when the index is empty', () => {
    expect(
      resolver.resolve(source({ type: 'private', name: 'Anna' }), createCustomerIndex()).decision,
    ).toEqual({ kind: 'create' });
  });

  it('treats optional fields of the wrong type as absent', () => {
    const index = createCustomerIndex([
      listItem('1', { Name: 'Anna Andersson', Phone: '070-123 45 67' }),
    ]);
    const odd = {
      id: 's',
      type: 'private',
      name: 'Anna Andersson',
      phone: 701234567,
      address: 'Storgatan 1',
    };
    const result = resolver.resolve(odd as unknown as ResolvableCustomer, index);
    expect(result.decision.kind).toBe('ask');
  });

  it('rejects a source customer without id, type or name', () => {
    const index = createCustomerIndex();
    expect(() => resolver.resolve({ id: '', type: 'company', name: 'x' }, index)).toThrow(
      TypeError,
    );
    expect(() =>
      resolver.resolve({ id: 'a', type: 'person' as 'private', name: 'x' }, index),
    ).toThrow(/id, type and name/);
  });
});

describe('resolveAll', () => {
  it('lets a wrapped resolver handle batches through its own resolve', () => {
    const index = createCustomerIndex([
      listItem('7', { Name: 'Volvo', OrganisationNumber: ORG.volvo }),
    ]);
    const resolve: DuplicateResolver['resolve'] = (customer, target) =>
      customer.id.startsWith('vip-')
        ? { decision: { kind: 'create' }, warnings: [] }
        : resolver.resolve(customer, target);
    const wrapped: DuplicateResolver = {
      resolve,
      resolveAll: (sources, target) => resolveAllWith(resolve, sources, target),
    };
    const results = wrapped.resolveAll(
      [
        { id: 'vip-1', type: 'company', name: 'Volvo', organisationNumber: ORG.volvo },
        { id: 's-2', type: 'company', name: 'Volvo', organisationNumber: ORG.volvo },
        { id: 's-3', type: 'company', name: 'AB Volvo', organisationNumber: ORG.volvo },
      ],
      index,
    );
    expect(results.map((r) => kindOf(r.decision))).toEqual(['create', 'link', 'link']);
    expect(results.map((r) => r.warnings.map((w) => w.code))).toEqual([
      [],
      ['shared-target'],
      ['shared-target'],
    ]);
  });

  it('resolves in order and warns when several source customers link to one Fortnox customer', () => {
    const index = createCustomerIndex([
      listItem('7', { Name: 'Volvo', OrganisationNumber: ORG.volvo }),
    ]);
    const results = resolver.resolveAll(
      [
        source({ type: 'company', name: 'Volvo', organisationNumber: ORG.volvo }),
        { id: 's-2', type: 'company', name: 'Volvo AB', organisationNumber: ORG.volvo },
        { id: 's-3', type: 'private', name: 'Anna' },
      ],
      index,
    );
    expect(results.map((r) => kindOf(r.decision))).toEqual(['link', 'link', 'create']);
    expect(results[0]?.warnings.map((w) => w.code)).toEqual(['shared-target']);
    expect(results[2]?.warnings).toEqual([]);
  });
});
