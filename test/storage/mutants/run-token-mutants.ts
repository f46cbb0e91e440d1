/**
 * The TokenStore suite on its baseline and on every mutant. Not a test file of the main run:
 * `test/storage/token-suite-catches-mutants.test.ts` runs it with `vitest.token-mutants.config.ts`
 * and checks that the baseline passes and every mutant fails at the clause that was broken.
 */
import { describeTokenStore } from '../../../src/testing/storage-suite/index.js';
import {
  createKeyedStore,
  KEYED_TOKEN_MUTANTS,
  MEMORY_TOKEN_MUTANTS,
  rawContents,
} from './token-mutants.js';

const options = {
  durable: true,
  encrypted: true,
  rawContents: ({ key }: { key: string }) => rawContents(key),
  waitMs: 500,
};

describeTokenStore(
  'baseline',
  ({ key, encryptionKeys }) => createKeyedStore(key, encryptionKeys),
  options,
);
for (const [name, factory] of Object.entries(MEMORY_TOKEN_MUTANTS)) {
  describeTokenStore(`mutant ${name}`, factory, { waitMs: 500 });
}
for (const [name, factory] of Object.entries(KEYED_TOKEN_MUTANTS)) {
  describeTokenStore(`mutant ${name}`, factory, options);
}
