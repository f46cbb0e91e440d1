import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSourceFile, SourceFileError } from '../../src/cli/source-file.js';

const directory = mkdtempSync(path.join(tmpdir(), 'fortnox-sync source file-'));
const write = (name: string, text: string) => {
  const file = path.join(directory, name);
  writeFileSync(file, text);
  return file;
};
const company = {
  id: 'k-1',
  type: 'company',
  name: 'Acme AB',
  organisationNumber: '556677-8899',
  address: { street: 'Storgatan 1', postalCode: '111 22', city: 'Stockholm' },
  active: true,
};
const person = {
  id: 'k-2',
  type: 'private',
  name: 'Åsa Öberg',
  email: 'asa@example.se',
  active: false,
};

async function problemsOf(file: string) {
  const error = await readSourceFile(file).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(SourceFileError);
  const fileError = error as SourceFileError;
  expect(fileError.kind).toBe('source-file');
  expect(fileError.userMessage.sv).not.toBe('');
  return fileError;
}

describe('readSourceFile', () => {
  it('reads a JSON array, { customers } and NDJSON (blank lines skipped)', async () => {
    expect(await readSourceFile(write('a.json', JSON.stringify([company, person])))).toEqual([
      company,
      person,
    ]);
    expect(await readSourceFile(write('b.json', JSON.stringify({ customers: [person] })))).toEqual([
      person,
    ]);
    const ndjson = `${JSON.stringify(company)}\n\n${JSON.stringify(person)}\n`;
    expect(await readSourceFile(write('c.ndjson', ndjson))).toEqual([company, person]);
  });

  it('reads CSV with "," or ";", address columns with or without "address.", booleans as words', async () => {
    const comma = [
      'id,type,name,organisationNumber,street,postalCode,city,active',
      'k-1,company,Acme AB,556677-8899,Storgatan 1,111 22,Stockholm,true',
      'k-2,private,"Öberg, Åsa",,,,,nej',
    ].join('\r\n');
    expect(await readSourceFile(write('d.csv', comma))).toEqual([
      company,
      { id: 'k-2', type: 'private', name: 'Öberg, Åsa', active: false },
    ]);
    const semicolon = [
      '\uFEFFid;type;name;email;address.city;active',
      'k-2;private;Åsa Öberg;asa@example.se;Lund, Skåne;0',
    ].join('\n');
    expect(await readSourceFile(write('e.csv', semicolon))).toEqual([
      { ...person, address: { city: 'Lund, Skåne' } },
    ]);
  });

  it('reports every row problem with its row and field, and no value from the file', async () => {
    const rows = [
      company,
      { ...person, type: 'person' },
      { type: 'company', name: 'Utan Id AB', active: true },
      { ...company, name: 'Samma Id AB' },
      { ...person, id: 'k-9', active: 'yes', email: 42 },
      'not an object',
    ];
    const error = await problemsOf(write('bad.json', JSON.stringify(rows)));
    expect(error.problems.map(({ row, field, code }) => [row, field, code])).toEqual([
      [2, 'type', 'invalid-value'],
      [3, 'id', 'required'],
      [4, 'id', 'duplicate-id'],
      [5, 'email', 'invalid-type'],
      [5, 'active', 'invalid-type'],
      [6, 'customer', 'invalid-type'],
    ]);
    expect(error.message).toContain('5 row(s)');
    expect(JSON.stringify(error.problems)).not.toMatch(/Utan Id|Samma Id|Acme|person"/);
  });

  it('names the CSV line of a bad row, and a CSV "active" that is no yes/no word', async () => {
    const csv = [
      'id,type,name,active',
      'k-1,company,Acme AB,true',
      '',
      'k-2,company,Beta AB,kanske',
    ].join('\n');
    const error = await problemsOf(write('bad.csv', csv));
    expect(error.problems).toEqual([
      expect.objectContaining({ row: 4, field: 'active', code: 'invalid-type' }),
    ]);
  });

  it('refuses unreadable files with the reason, in English and in Swedish', async () => {
    const cases: [string, RegExp, RegExp][] = [
      [write('broken.json', '[{"id": '), /not valid JSON/, /inte giltig JSON/],
      [write('object.json', '{"kunder": []}'), /array of customers/, /lista av kunder/],
      [
        write('columns.csv', 'id,type,namn,active\nk-1,company,A,true'),
        /unknown column\(s\) "namn"/,
        /okända kolumner "namn"/,
      ],
      [
        write('ragged.csv', 'id,type,name,active\nk-1,company\n'),
        /not valid CSV/,
        /inte giltig CSV/,
      ],
      [write('customers.txt', '[]'), /format is unknown/, /formatet är okänt/],
      [path.join(directory, 'missing.json'), /no such file/, /filen finns inte/],
    ];
    for (const [file, reason, swedish] of cases) {
      const error = await problemsOf(file);
      expect(error.message).toMatch(reason);
      expect(error.userMessage.en).toMatch(reason);
      expect(error.userMessage.sv).toMatch(swedish);
      expect(error.problems).toEqual([]);
    }
  });

  it('reports an NDJSON line that is not JSON with its line number', async () => {
    const file = write(
      'bad.ndjson',
      `${JSON.stringify(company)}\n{oops\n${JSON.stringify(person)}`,
    );
    const error = await problemsOf(file);
    expect(error.problems).toEqual([
      { row: 2, field: 'customer', code: 'unreadable', message: 'the line is not valid JSON' },
    ]);
  });
});
