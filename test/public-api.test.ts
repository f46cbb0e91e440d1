import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { REPO_ROOT } from './support/fixture-paths.js';

describe('the public API of fortnox-sync', () => {
  it.each([
    'createFortnoxClient',
    'toFortnoxCustomer',
    'fromFortnoxCustomer',
    'parseOrganisationNumber',
    'parsePersonalIdentityNumber',
    'normalizePhoneNumber',
    'createDuplicateResolver',
    'createCustomerIndex',
    'findDuplicateGroups',
    'buildAuthorizationUrl',
    'exchangeAuthorizationCode',
    'createMemoryTokenStore',
    'createMemoryStorage',
    'createSyncEngine',
    'ok',
    'err',
  ])('exports %s as a function (ARCHITECTURE.md)', (name) => {
    expect(typeof (api as Record<string, unknown>)[name]).toBe('function');
  });

  it('re-exports neverthrow itself, so users share one Result class', async () => {
    const neverthrow = await import('neverthrow');
    expect(api.ResultAsync).toBe(neverthrow.ResultAsync);
    expect(api.ok(1)).toBeInstanceOf(neverthrow.Ok);
  });

  it('names every export (no export *)', () => {
    const source = readFileSync(path.join(REPO_ROOT, 'src', 'index.ts'), 'utf8');
    expect(source).not.toMatch(/^export \*/m);
  });
});
