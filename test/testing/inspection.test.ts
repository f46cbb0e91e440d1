import { describe, expect, it } from 'vitest';
import { createEmulatorCore, DEFAULT_TENANT_ID } from '../../src/testing/index.js';
import { createFortnoxEmulator } from '../../src/testing/msw.js';

const get = (token: string, path = '/3/customers') =>
  new Request(`https://api.fortnox.se${path}`, { headers: { Authorization: `Bearer ${token}` } });

describe('inspection and setup', () => {
  it('logs method, path, status and tenant, never tokens or queries', async () => {
    const emulator = createEmulatorCore();
    const token = emulator.issueAccessToken();
    await emulator.handle(get(token, '/3/customers?name=Anna'));
    await emulator.handle(get('nope'));
    const log = emulator.requests();
    expect(
      log.map(({ method, path, status, tenantId }) => ({ method, path, status, tenantId })),
    ).toEqual([
      { method: 'GET', path: '/3/customers', status: 200, tenantId: DEFAULT_TENANT_ID },
      { method: 'GET', path: '/3/customers', status: 401, tenantId: undefined },
    ]);
    expect(JSON.stringify(log)).not.toContain(token);
    expect(JSON.stringify(log)).not.toContain('Anna');
  });

  it('seeds tenants from options and restores them on reset()', async () => {
    const emulator = createEmulatorCore({
      tenants: { [DEFAULT_TENANT_ID]: { seedCustomers: 25, seed: 9 } },
    });
    const before = emulator.tenant().customers();
    expect(before).toHaveLength(25);
    emulator.tenant().insert({ Name: 'Extra' });
    emulator.faults.inject({ kind: 'server-error' });
    const token = emulator.issueAccessToken();
    emulator.reset();
    expect(emulator.tenant().customers()).toEqual(before);
    expect(emulator.faults.rules()).toEqual([]);
    expect(emulator.requests()).toEqual([]);
    expect((await emulator.handle(get(token))).status).toBe(401);
  });

  it('accepts static tokens and revokes issued ones on demand', async () => {
    const emulator = createEmulatorCore({ staticTokens: { 'test-token': '5000005' } });
    expect((await emulator.handle(get('test-token'))).status).toBe(200);
    expect(emulator.tenantIds()).toContain('5000005');
    const token = emulator.issueAccessToken();
    emulator.revokeTokens();
    expect((await emulator.handle(get(token))).status).toBe(401);
  });

  it('insert() refuses data Fortnox would refuse, naming the code', () => {
    const emulator = createEmulatorCore();
    expect(() => emulator.tenant().insert({ Name: 'A', Type: 'PERSON' })).toThrow(/code 2000588/);
    expect(() => emulator.tenant().insert({ Name: '' })).toThrow(/code 2000637/);
  });

  it('answers unknown paths with a Fortnox-like HTML 404 and keeps msw handlers to Fortnox hosts', async () => {
    const emulator = createFortnoxEmulator();
    const response = await emulator.handle(get(emulator.issueAccessToken(), '/3/invoices'));
    expect(response.status).toBe(404);
    expect(response.headers.get('Content-Type')).toContain('text/html');
    expect(emulator.handlers).toHaveLength(1);
  });

  it('throws at construction on a misconfiguration', () => {
    expect(() => createEmulatorCore({ customerNumberStart: 0 })).toThrow(/customerNumberStart/);
    expect(() => createEmulatorCore({ rateLimit: { limit: 0 } })).toThrow(/rateLimit.limit/);
    expect(() => createEmulatorCore({ oauth: { clients: [] } })).toThrow(/oauth.clients/);
    expect(() => createEmulatorCore({ tenants: { '7': { customerNumberStart: 0 } } })).toThrow(
      /tenants\.7\.customerNumberStart/,
    );
    expect(() => createEmulatorCore({ tenants: { '7': { seedCustomers: -5 } } })).toThrow(
      /tenants\.7\.seedCustomers/,
    );
    expect(() => createEmulatorCore().faults.inject({ kind: 'latency', probability: 2 })).toThrow(
      /probability/,
    );
  });
});
