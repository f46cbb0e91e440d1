/**
 * The emulator for `npm run bench:sync`, in its own process so that the bench's CPU measurement is the
 * engine's alone: seeds a tenant with a sample's Fortnox customers, listens on 127.0.0.1 and answers
 * the parent's questions over IPC (request counts and times, its own CPU so far), until told to stop.
 *
 * Run by bench/sync.bench.ts (argv: sourceCustomers fortnoxCustomers seed limit windowMs tenant token).
 */
import {
  createEmulatorCore,
  generateSampleSource,
  seedSampleFortnox,
} from '../../src/testing/index.js';

const [n = 2_000, m = 1_500, seed = 7, limit = 250, windowMs = 5_000] = process.argv
  .slice(2, 7)
  .map(Number);
const [tenantId = '1000001', token = 'bench-token'] = process.argv.slice(7, 9);
const sample = generateSampleSource({ sourceCustomers: n, fortnoxCustomers: m, seed });
const emulator = createEmulatorCore({
  rateLimit: { limit, windowMs },
  staticTokens: { [token]: tenantId },
});
seedSampleFortnox(emulator.tenant(tenantId), sample);
const server = await emulator.listen();

process.on('message', async (message: { type: string; since?: number }) => {
  if (message.type === 'requests') {
    const entries = emulator.requests().slice(message.since ?? 0);
    process.send?.({
      type: 'requests',
      total: emulator.requests().length,
      entries: entries.map(({ at, method, status }) => ({ at, method, status })),
      cpu: process.cpuUsage(),
    });
  } else if (message.type === 'stop') {
    await server.close();
    process.exit(0);
  }
});
process.send?.({ type: 'ready', url: server.url });
