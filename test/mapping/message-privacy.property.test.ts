import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SourceCustomer, toFortnoxCustomer } from '../../src/mapping/index.js';
import { NOW, sourceCustomerArb } from './arbitraries.js';

/** The text values of a customer that look like personal data: digits or an `@` in them. */
function identifyingValues(source: SourceCustomer): string[] {
  const texts = [
    source.id,
    source.name,
    source.email,
    source.phone,
    source.organisationNumber,
    source.address?.street,
    source.address?.postalCode,
    source.address?.city,
  ];
  return texts
    .filter((text): text is string => typeof text === 'string')
    .map((text) => text.trim())
    .filter((text) => text.length >= 5 && /[\d@]/u.test(text));
}

describe('error messages carry no personal data', () => {
  it('no message repeats an identifying value of the customer', () => {
    let checked = 0;
    fc.assert(
      fc.property(sourceCustomerArb, (source) => {
        const result = toFortnoxCustomer(source, { now: NOW });
        if (result.isOk()) return;
        const values = identifyingValues(source);
        if (values.length > 0) checked += 1;
        const { error } = result;
        const messages = [
          error.message,
          error.userMessage.sv,
          error.userMessage.en,
          JSON.stringify(error),
          ...error.issues.flatMap((i) => [i.message, i.userMessage.sv, i.userMessage.en]),
        ];
        for (const message of messages) {
          for (const value of values) expect(message).not.toContain(value);
        }
      }),
      { numRuns: 400 },
    );
    expect(checked).toBeGreaterThan(100);
  });
});
