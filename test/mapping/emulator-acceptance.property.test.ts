import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeSourceCustomer, toFortnoxCustomer } from '../../src/mapping/index.js';
import { createEmulatorCore } from '../../src/testing/index.js';
import { NOW, sourceCustomerArb } from './arbitraries.js';

const RUNS = 200;
const core = createEmulatorCore({ rateLimit: false });
const token = core.issueAccessToken();

/** Sends one customer write to the emulator the way the client does. */
async function send(method: 'POST' | 'PUT', path: string, write: unknown): Promise<Response> {
  return core.handle(
    new Request(`https://api.fortnox.se/3/customers${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ Customer: write }),
    }),
  );
}

/** The status and, on failure, Fortnox's error body: enough to see why a write was refused. */
async function outcome(response: Response): Promise<{ status: number; body?: unknown }> {
  if (response.ok) return { status: response.status };
  return { status: response.status, body: await response.json() };
}

describe('every successful toFortnoxCustomer output is accepted by the Fortnox emulator', () => {
  it('as a create (POST → 201), also with every empty field cleared', async () => {
    let written = 0;
    await fc.assert(
      fc.asyncProperty(sourceCustomerArb, fc.boolean(), async (source, clearEmptyFields) => {
        const write = toFortnoxCustomer(source, { now: NOW, clearEmptyFields });
        if (write.isErr()) return;
        written += 1;
        expect(await outcome(await send('POST', '', write.value))).toEqual({ status: 201 });
      }),
      { numRuns: RUNS },
    );
    // A property over almost no successful writes would prove nothing.
    expect(written).toBeGreaterThan(RUNS / 4);
  });

  it('as an update of the last synced state (PUT → 200)', async () => {
    let updated = 0;
    await fc.assert(
      fc.asyncProperty(sourceCustomerArb, sourceCustomerArb, async (before, after) => {
        const previous = normalizeSourceCustomer(before, { now: NOW });
        const created = toFortnoxCustomer(before, { now: NOW });
        if (previous.isErr() || created.isErr()) return;
        const response = await send('POST', '', created.value);
        expect(response.status).toBe(201);
        const { Customer } = (await response.json()) as { Customer: { CustomerNumber: string } };
        const patch = toFortnoxCustomer(after, { now: NOW, previous: previous.value });
        if (patch.isErr()) return;
        updated += 1;
        const path = `/${encodeURIComponent(Customer.CustomerNumber)}`;
        expect(await outcome(await send('PUT', path, patch.value))).toEqual({ status: 200 });
      }),
      { numRuns: RUNS },
    );
    expect(updated).toBeGreaterThan(RUNS / 20);
  });

  it('(the emulator does refuse what Fortnox refuses, so the properties above can fail)', async () => {
    const refused = [
      { Name: 'A <b>' },
      { Name: 'A', CountryCode: 'XX' },
      { Name: 'A', Email: 'a@b' },
    ];
    for (const write of refused) expect((await send('POST', '', write)).status).toBe(400);
  });
});
