import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is test/support/shared-paths.ts). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `../shared` beside the checkout: the design, the Fortnox facts and the data sets. */
export const SHARED_DIR = path.resolve(REPO_ROOT, '..', 'shared');

/** Fortnox's OpenAPI extract for customers. */
export const OPENAPI_CUSTOMERS_PATH = path.join(SHARED_DIR, 'fortnox', 'openapi-customers.json');

/** True when `../shared` is present (it always is in CI and in a session). */
export const HAS_SHARED = existsSync(OPENAPI_CUSTOMERS_PATH);
