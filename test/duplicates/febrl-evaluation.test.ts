import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateFebrl, febrlPath, parseFebrl } from '../../scripts/eval-duplicates.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// Vendored with its licence under test/fixtures/febrl: the repository stands alone.
const file = febrlPath(repoRoot);
const SAMPLE_SIZE = 2000;

describe('Febrl 3 evaluation (leave-one-out on a sample)', () => {
  it(`links automatically with precision >= 0.99 on the first ${SAMPLE_SIZE} records`, () => {
    const records = parseFebrl(readFileSync(file, 'utf8')).slice(0, SAMPLE_SIZE);
    const result = evaluateFebrl(records);
    expect(result.queries).toBe(SAMPLE_SIZE);
    expect(result.matchable).toBeGreaterThan(500);
    expect(result.linkPrecision).toBeGreaterThanOrEqual(0.99);
    // Not only precise but useful: most duplicates are linked, nearly all are linked or asked.
    expect(result.linkRecall).toBeGreaterThan(0.6);
    expect(result.reviewRecall).toBeGreaterThan(0.9);
  });
});

describe('evaluateFebrl', () => {
  const header =
    'rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id\n';

  it('counts a link to another entity as wrong, so the precision bar can fail', () => {
    // Two different people (entities 1 and 2) with the same name and soc_sec_id: each links to the other.
    const records = parseFebrl(
      `${header}rec-1-org, anna, smith, 1, high street, , lund, 2000, nsw, 19800101, 1234567\n` +
        'rec-2-org, anna, smith, 1, high street, , lund, 2000, nsw, 19800101, 1234567\n',
    );
    const result = evaluateFebrl(records);
    expect(result.links).toEqual({ correct: 0, wrong: 2 });
    expect(result.linkPrecision).toBeLessThan(0.99);
    expect(result.creates).toEqual({ missed: 0, correct: 0 });
  });

  it('counts a linked duplicate as correct and a lone record created as correct', () => {
    const records = parseFebrl(
      `${header}rec-1-org, anna, smith, 1, high street, , lund, 2000, nsw, 19800101, 1234567\n` +
        'rec-1-dup-0, smith, anna, 1, high st, , lund, 2000, nsw, 19800101, 1234567\n' +
        'rec-2-org, bo, ek, 9, low road, , york, 3000, vic, 19700101, 7654321\n',
    );
    const result = evaluateFebrl(records);
    expect(result).toMatchObject({
      matchable: 2,
      links: { correct: 2, wrong: 0 },
      creates: { missed: 0, correct: 1 },
      linkPrecision: 1,
      linkRecall: 1,
    });
  });
});

describe('parseFebrl', () => {
  it('maps a record to a private person with the soc_sec_id as phone', () => {
    const [record] = parseFebrl(
      'rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id\n' +
        'rec-988-dup-0, masno, madeline, 54, hoseason street, lakefront ret rmnt vlge, gran ville, 4818, nsw, 19081128, 2185997\n',
    );
    expect(record).toEqual({
      entity: '988',
      customer: {
        id: 'rec-988-dup-0',
        type: 'private',
        name: 'masno madeline',
        phone: '2185997',
        address: {
          street: '54 hoseason street, lakefront ret rmnt vlge',
          postalCode: '4818',
          city: 'gran ville',
        },
      },
    });
  });
});
