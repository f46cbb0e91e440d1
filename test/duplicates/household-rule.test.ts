import { describe, expect, it } from 'vitest';
import { compareFeatures } from '../../src/duplicates/compare-features.js';
import { extractFeatures, type FeatureInput } from '../../src/duplicates/customer-features.js';
import { householdRuleAllowsLink, wholeNameAgrees } from '../../src/duplicates/household-rule.js';
import {
  createCustomerIndex,
  createDuplicateResolver,
  DEFAULT_DUPLICATE_OPTIONS,
  type IndexableCustomer,
  type ResolveResult,
} from '../../src/duplicates/index.js';
import { createWeightTable } from '../../src/duplicates/score-match.js';
import { listItem, PNR, source } from './fixtures.js';

const resolver = createDuplicateResolver();
const weights = createWeightTable(DEFAULT_DUPLICATE_OPTIONS.probabilities);

const linkedTo = ({ decision }: ResolveResult) =>
  decision.kind === 'link' || decision.kind === 'update-existing'
    ? decision.customerNumber
    : undefined;
const asked = ({ decision }: ResolveResult) =>
  decision.kind === 'ask' ? decision.candidates.map((c) => c.customerNumber) : [];

const home = { street: 'Storgatan 12', postalCode: '411 01', city: 'Göteborg' };
const homeItem = { Address1: home.street, ZipCode: home.postalCode, City: home.city };

describe('household rule in the resolver (issue 8 §6)', () => {
  it('asks, never links, Anders Andersson against Anders Svensson on the same phone', () => {
    const index = createCustomerIndex([
      listItem('1', { Name: 'Anders Svensson', Phone: '070-123 45 67' }),
    ]);
    const result = resolver.resolve(
      source({ type: 'private', name: 'Anders Andersson', phone: '070-123 45 67' }),
      index,
    );
    expect(linkedTo(result)).toBeUndefined();
    expect(asked(result)).toEqual(['1']);
  });

  it('asks, never links, Maria Karlsson against Maria Olsson on the same phone', () => {
    const index = createCustomerIndex([
      listItem('1', { Name: 'Maria Olsson', Phone: '070-123 45 67' }),
    ]);
    const result = resolver.resolve(
      source({ type: 'private', name: 'Maria Karlsson', phone: '070-123 45 67' }),
      index,
    );
    expect(linkedTo(result)).toBeUndefined();
    expect(asked(result)).toEqual(['1']);
  });

  it('asks about a housemate however high the score: other given name, same everything else', () => {
    const index = createCustomerIndex([
      listItem('1', {
        Name: 'Karin Lindqvist',
        Phone: '070-123 45 67',
        Email: 'familjen.lindqvist@telia.com',
        ...homeItem,
      }),
    ]);
    const result = resolver.resolve(
      source({
        type: 'private',
        name: 'Göran Lindqvist',
        phone: '070-123 45 67',
        email: 'familjen.lindqvist@telia.com',
        address: home,
      }),
      index,
    );
    expect(linkedTo(result)).toBeUndefined();
    expect(asked(result)).toEqual(['1']);
  });

  it('asks about a namesake on the same e-mail or at the same address', () => {
    const index = createCustomerIndex([
      listItem('1', { Name: 'Maria Olsson', Email: 'olsson@telia.com', ...homeItem }),
    ]);
    for (const name of ['Maria Karlsson', 'Eva Olsson']) {
      const result = resolver.resolve(
        source({ type: 'private', name, email: 'olsson@telia.com', address: home }),
        index,
      );
      expect(linkedTo(result), name).toBeUndefined();
      expect(asked(result), name).toEqual(['1']);
    }
  });

  it('still links the same person: the whole name with a typo or without the middle name', () => {
    const index = createCustomerIndex([
      listItem('1', { Name: 'Anna Karin Andersson', Phone: '070-123 45 67', ...homeItem }),
    ]);
    for (const name of ['Anna Karin Andersson', 'Anna Andersson', 'Andresson, Anna Karin']) {
      const result = resolver.resolve(
        source({ type: 'private', name, phone: '+46 70 123 45 67' }),
        index,
      );
      expect(linkedTo(result), name).toBe('1');
    }
  });

  it('tells a typo from another family: Jansson is not Jonsson when both names are common', () => {
    const family = (number: string, name: string, phone: string): IndexableCustomer =>
      listItem(number, { Name: name, Phone: phone });
    const given = ['Anna', 'Erik', 'Lars', 'Sara'];
    const common = createCustomerIndex([
      family('1', 'Per Jansson', '070-123 45 67'),
      ...given.flatMap((name, k) => [
        family(`j${k}`, `${name} Jansson`, `070-200 00 0${k}`),
        family(`o${k}`, `${name} Jonsson`, `070-300 00 0${k}`),
      ]),
    ]);
    const perJonsson = source({ type: 'private', name: 'Per Jonsson', phone: '070-123 45 67' });
    expect(linkedTo(resolver.resolve(perJonsson, common))).toBeUndefined();
    // Alone, "Jonsson" against "Jansson" may well be a slip of the finger.
    const alone = createCustomerIndex([family('1', 'Per Jansson', '070-123 45 67')]);
    expect(linkedTo(resolver.resolve(perJonsson, alone))).toBe('1');
  });

  it('keeps a private person’s name whole: "Eva Sa" is not "Eva As" (legal forms are for companies)', () => {
    const index = createCustomerIndex([
      listItem('1', { Name: 'Eva As', Phone: '070-123 45 67', Type: 'PRIVATE' }),
    ]);
    const result = resolver.resolve(
      source({ type: 'private', name: 'Eva Sa', phone: '070-123 45 67' }),
      index,
    );
    expect(linkedTo(result)).toBeUndefined();
    // A company still sheds its legal form, also against a list item of unknown kind.
    const companies = createCustomerIndex([
      listItem('2', { Name: 'Bygg & Måleri i Norr AB', Phone: '090-12 34 56' }),
    ]);
    const company = resolver.resolve(
      source({ type: 'company', name: 'Bygg & Måleri i Norr Aktiebolag', phone: '090-12 34 56' }),
      companies,
    );
    expect(linkedTo(company)).toBe('2');
  });

  it('does not join housemates in the audit of Fortnox customers either', async () => {
    const { findDuplicateGroups } = await import('../../src/duplicates/index.js');
    const groups = findDuplicateGroups([
      listItem('1', { Name: 'Anders Svensson', Phone: '070-123 45 67', Type: 'PRIVATE' }),
      listItem('2', { Name: 'Anders Andersson', Phone: '070-123 45 67', Type: 'PRIVATE' }),
      listItem('3', { Name: 'Maria Olsson', Phone: '070-765 43 21', Type: 'PRIVATE' }),
      listItem('4', { Name: 'Maria Karlsson', Phone: '070-765 43 21', Type: 'PRIVATE' }),
    ]);
    expect(groups).toEqual([]);
  });
});

const features = (fields: Partial<FeatureInput>) =>
  extractFeatures({
    kind: 'private',
    name: undefined,
    email: undefined,
    phone: undefined,
    street: undefined,
    postalCode: undefined,
    city: undefined,
    countryCode: undefined,
    identityNumber: undefined,
    ...fields,
  });

function allows(a: Partial<FeatureInput>, b: Partial<FeatureInput>): boolean {
  const [fa, fb] = [features(a), features(b)];
  return householdRuleAllowsLink(fa, fb, compareFeatures(fa, fb, weights));
}

describe('householdRuleAllowsLink', () => {
  const address = { street: 'Storgatan 12', postalCode: '41101', city: 'Göteborg' };

  it('allows the whole name with an agreeing phone, e-mail or address', () => {
    const name = 'Anna Andersson';
    expect(allows({ name, phone: '0701234567' }, { name, phone: '0701234567' })).toBe(true);
    expect(allows({ name, email: 'a@b.se' }, { name, email: 'a@b.se' })).toBe(true);
    // Same name, same address, a new phone: a person who changed number.
    expect(
      allows({ name, phone: '0701234567', ...address }, { name, phone: '0739876543', ...address }),
    ).toBe(true);
  });

  it('allows an equal personnummer whatever the name (a married name)', () => {
    expect(
      allows(
        { name: 'Anna Andersson', identityNumber: PNR.a },
        { name: 'Anna Berg', identityNumber: PNR.a },
      ),
    ).toBe(true);
  });

  it('refuses the whole name alone, a name without contact, and any other name on shared contacts', () => {
    const name = 'Anna Andersson';
    expect(allows({ name }, { name })).toBe(false);
    expect(allows({ name, phone: '0701234567' }, { name, phone: '0739876543' })).toBe(false);
    for (const other of ['Erik Andersson', 'Anna Karlsson', 'Anna', 'Hans Olsson']) {
      expect(
        allows(
          { name, phone: '0701234567', email: 'a@b.se', ...address },
          { name: other, phone: '0701234567', email: 'a@b.se', ...address },
        ),
        other,
      ).toBe(false);
    }
  });

  it('refuses a differing personnummer even with the whole name and phone', () => {
    const name = 'Anna Andersson';
    expect(
      allows(
        { name, phone: '0701234567', identityNumber: PNR.a },
        { name, phone: '0701234567', identityNumber: PNR.b },
      ),
    ).toBe(false);
  });

  it('does not apply to companies', () => {
    expect(
      allows(
        { kind: 'company', name: 'Norr Bygg', phone: '0901234567' },
        { kind: undefined, name: 'Syd Bygg', phone: '0901234567' },
      ),
    ).toBe(true);
  });
});

describe('wholeNameAgrees', () => {
  it('allows name order, one typo per token and a missing middle name', () => {
    expect(wholeNameAgrees(['anna', 'andersson'], ['andersson', 'anna'])).toBe(true);
    expect(wholeNameAgrees(['anna', 'andresson'], ['anna', 'andersson'])).toBe(true);
    expect(wholeNameAgrees(['anna', 'andersson'], ['anna', 'karin', 'andersson'])).toBe(true);
    expect(wholeNameAgrees(['annakarin', 'berg'], ['anna', 'karin', 'berg'])).toBe(true);
    expect(wholeNameAgrees(['annakarin'], ['anna', 'karin'])).toBe(true);
  });

  it('refuses another given name or surname, a lone given name and short near names', () => {
    expect(wholeNameAgrees(['anders', 'svensson'], ['anders', 'andersson'])).toBe(false);
    expect(wholeNameAgrees(['maria', 'olsson'], ['maria', 'karlsson'])).toBe(false);
    expect(wholeNameAgrees(['anna'], ['anna', 'andersson'])).toBe(false);
    // A left-over token at either end is another given name or surname, not a middle name.
    expect(wholeNameAgrees(['lars', 'ali'], ['erik', 'lars', 'ali'])).toBe(false);
    expect(wholeNameAgrees(['anna', 'berg'], ['anna', 'berg', 'lind'])).toBe(false);
    expect(wholeNameAgrees(['jan', 'berg'], ['jon', 'berg'])).toBe(false);
    expect(wholeNameAgrees([], [])).toBe(false);
  });

  it('takes one letter between two common names as two names', () => {
    const count = (token: string) => (token === 'jansson' || token === 'jonsson' ? 40 : 1);
    expect(wholeNameAgrees(['per', 'jansson'], ['per', 'jonsson'], count)).toBe(false);
    expect(wholeNameAgrees(['per', 'jansson'], ['per', 'jonsson'])).toBe(true);
  });
});

describe('asking about people who share a contact', () => {
  it('lists a namesake on the same phone even when the score is below the ask threshold', () => {
    const index = createCustomerIndex([
      listItem('1', { Name: 'Maria Olsson', Phone: '070-123 45 67', ...homeItem }),
    ]);
    const strict = createDuplicateResolver({ askThreshold: 40, linkThreshold: 50 });
    const result = strict.resolve(
      source({
        type: 'private',
        name: 'Maria Karlsson',
        phone: '070-123 45 67',
        address: { street: 'Kungsgatan 3', postalCode: '111 22', city: 'Stockholm' },
      }),
      index,
    );
    expect(asked(result)).toEqual(['1']);
  });

  it('does not keep a son whose middle name is his father’s name apart from the father only by score', () => {
    const index = createCustomerIndex([
      listItem('1', { Name: 'Lars Ali', Phone: '070-123 45 67', ...homeItem }),
    ]);
    const result = resolver.resolve(
      source({ type: 'private', name: 'Erik Lars Ali', phone: '070-123 45 67', address: home }),
      index,
    );
    expect(linkedTo(result)).toBeUndefined();
    expect(asked(result)).toEqual(['1']);
  });
});
