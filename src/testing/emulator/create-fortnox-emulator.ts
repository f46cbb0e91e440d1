import type { RequestHandler } from 'msw';
import { createEmulatorCore, type FortnoxEmulatorCore } from './emulator-core.js';
import { createMswHandlers } from './msw-handlers.js';
import type { FortnoxEmulatorOptions } from './options.js';

/** The Fortnox emulator: the core plus msw handlers for in-process tests. */
export type FortnoxEmulator = FortnoxEmulatorCore & {
  /** msw 3 request handlers: `setupServer(...emulator.handlers)`. */
  readonly handlers: readonly RequestHandler[];
};

/**
 * Creates a stateful, in-memory Fortnox (customers API and OAuth) with msw handlers, for in-process
 * tests; `listen()` serves the same emulator over HTTP. Without msw, use `createEmulatorCore` from
 * `fortnox-sync/testing`: the same emulator without `handlers`.
 *
 * @example
 * ```ts
 * import { createFortnoxEmulator } from 'fortnox-sync/testing/msw';
 * const emulator = createFortnoxEmulator({ tenants: { '1000001': { seedCustomers: 50 } } });
 * const server = setupServer(...emulator.handlers);
 * server.listen({ onUnhandledFrame: 'error' }); // msw 3's name for onUnhandledRequest
 * const token = emulator.issueAccessToken();
 * await fetch('https://api.fortnox.se/3/customers', { headers: { Authorization: `Bearer ${token}` } });
 * ```
 */
export function createFortnoxEmulator(options: FortnoxEmulatorOptions = {}): FortnoxEmulator {
  const core = createEmulatorCore(options);
  return Object.assign(core, { handlers: createMswHandlers(core) });
}
