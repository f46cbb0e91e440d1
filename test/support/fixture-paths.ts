import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is test/support/fixture-paths.ts). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Vendored reference data (source and licence in its README.md): part of every clone. */
export const FIXTURES_DIR = path.join(REPO_ROOT, 'test', 'fixtures');

/** Fortnox's OpenAPI extract for customers. */
export const OPENAPI_CUSTOMERS_PATH = path.join(FIXTURES_DIR, 'fortnox', 'openapi-customers.json');
