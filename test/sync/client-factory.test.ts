/**
 * The host's `clients(tenantId)` factory is host code: when it throws or rejects, the engine's answer
 * says so (`client-factory`, the factory's error as `cause`), not "the sync could not save its state".
 */
import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/storage/index.js';
import { createSyncEngine } from '../../src/sync/index.js';
import { ADMIN } from './support/engine-harness.js';

const T = '1000001';

describe('a failing clients factory', () => {
  it.each([
    [
      'throws',
      () => {
        throw new TypeError('bad apiBaseUrl');
      },
    ],
    ['rejects', () => Promise.reject(new TypeError('bad apiBaseUrl'))],
  ] as const)(
    'that %s is a client-factory error with its cause, asked again next time',
    async (_, factory) => {
      let calls = 0;
      const engine = createSyncEngine({
        storage: createMemoryStorage(),
        clients: () => {
          calls += 1;
          return factory();
        },
        autoStart: false,
      });
      try {
        (await engine.connect(T, ADMIN))._unsafeUnwrap();
        for (const attempt of [1, 2]) {
          const error = (await engine.auditDuplicates(T))._unsafeUnwrapErr();
          expect(error).toMatchObject({ name: 'SyncEngineError', kind: 'client-factory' });
          expect(error.cause).toBeInstanceOf(TypeError);
          expect(error.message).not.toMatch(/bad apiBaseUrl/); // the cause's words stay in the cause
          expect(error.userMessage.sv).toMatch(/Fortnox/);
          expect(calls).toBe(attempt);
        }
      } finally {
        await engine.stop();
      }
    },
  );
});
