import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditFortnoxDuplicates } from '../../examples/audit-fortnox-duplicates.js';
import { createFortnoxClient } from '../../src/index.js';
import {
  createEmulatorCore,
  type EmulatorServer,
  seedCustomersWithRelations,
} from '../../src/testing/index.js';

const emulator = createEmulatorCore();
let server: EmulatorServer;

beforeAll(async () => {
  server = await emulator.listen({ port: 0 });
});
afterAll(() => server.close());

describe('examples/audit-fortnox-duplicates.ts against the emulator', () => {
  it('finds the exact duplicates the seed planted, and never groups two originals', async () => {
    const seeded = seedCustomersWithRelations(600, { seed: 11, nearDuplicateShare: 0 });
    const numbers = seeded.map(({ customer }) =>
      String(emulator.tenant().insert(customer).CustomerNumber),
    );
    const client = createFortnoxClient({
      auth: { type: 'access-token', accessToken: emulator.issueAccessToken() },
      apiBaseUrl: server.url,
    });

    const groups = (await auditFortnoxDuplicates(client))._unsafeUnwrap();

    const originalOf = new Map<string, string>();
    seeded.forEach(({ relation }, position) => {
      const root = relation.kind === 'original' ? position : relation.of;
      originalOf.set(numbers[position] ?? '', numbers[root] ?? '');
    });
    const planted = seeded.filter(({ relation }) => relation.kind === 'exact-duplicate').length;
    expect(planted).toBeGreaterThan(5);
    const grouped = groups.flatMap((group) => group.customerNumbers.slice(1));
    expect(grouped.length).toBeGreaterThanOrEqual(planted);
    for (const group of groups) {
      const roots = new Set(group.customerNumbers.map((number) => originalOf.get(number)));
      expect(roots.size, `group ${group.customerNumbers.join(',')} mixes different originals`).toBe(
        1,
      );
      expect(group.customerNumbers).toContain(group.survivor);
    }
  });
});
