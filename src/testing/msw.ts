/**
 * `fortnox-sync/testing/msw`: the Fortnox emulator with msw 3 request handlers, for in-process tests.
 * The only entry that imports msw (an optional peer dependency: `npm install --save-dev msw`);
 * `fortnox-sync/testing` (the emulator core, its HTTP server, the seed data) and the CLI never do.
 * @packageDocumentation
 */

export {
  createFortnoxEmulator,
  type FortnoxEmulator,
} from './emulator/create-fortnox-emulator.js';
export { createMswHandlers } from './emulator/msw-handlers.js';
