import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createEncryptedFileTokenStore,
  TokenFileError,
} from '../../src/cli/encrypted-token-store.js';

const directory = mkdtempSync(path.join(tmpdir(), 'fortnox-sync-tokens-'));
const KEY = 'a long enough secret key';
const tokens = {
  accessToken: 'eyJ.access.secret',
  refreshToken: 'refresh-secret-123',
  expiresAt: 1_800_000_000_000,
  scope: 'customer',
  tenantId: '1000001',
};

describe('createEncryptedFileTokenStore', () => {
  it('saves and loads tokens per tenant; the file holds no token in clear and is private', async () => {
    const file = path.join(directory, 'round-trip.enc');
    const store = createEncryptedFileTokenStore(file, KEY);
    expect(await store.load('1000001')).toBeUndefined();
    await store.save('1000001', tokens);
    await store.save('2000002', { ...tokens, tenantId: '2000002' });
    const again = createEncryptedFileTokenStore(file, KEY);
    expect(await again.load('1000001')).toEqual(tokens);
    expect((await again.load('2000002'))?.tenantId).toBe('2000002');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/secret|eyJ|1000001/);
    expect(JSON.parse(text)).toMatchObject({ format: 'fortnox-sync-tokens', version: 1 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('draws a new IV per save (the same tokens never encrypt the same)', async () => {
    const file = path.join(directory, 'iv.enc');
    const store = createEncryptedFileTokenStore(file, KEY);
    await store.save('1', tokens);
    const first = JSON.parse(readFileSync(file, 'utf8'));
    await store.save('1', tokens);
    const second = JSON.parse(readFileSync(file, 'utf8'));
    expect(second.iv).not.toBe(first.iv);
    expect(second.data).not.toBe(first.data);
  });

  it('refuses a wrong key, a changed file and a file of another kind with typed errors', async () => {
    const file = path.join(directory, 'checked.enc');
    await createEncryptedFileTokenStore(file, KEY).save('1', tokens);
    const wrong = await createEncryptedFileTokenStore(file, 'another secret key!')
      .load('1')
      .catch((caught: unknown) => caught);
    expect(wrong).toBeInstanceOf(TokenFileError);
    expect(wrong).toMatchObject({ kind: 'token-file', code: 'wrong-key' });
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    const flipped = Buffer.from(stored.data, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    writeFileSync(file, JSON.stringify({ ...stored, data: flipped.toString('base64') }));
    await expect(createEncryptedFileTokenStore(file, KEY).load('1')).rejects.toMatchObject({
      code: 'wrong-key',
    });
    writeFileSync(file, '{"hello": 1}');
    await expect(createEncryptedFileTokenStore(file, KEY).load('1')).rejects.toMatchObject({
      code: 'unreadable',
    });
  });

  it('refuses a missing or short key at once', () => {
    for (const key of [undefined, '', 'short']) {
      expect(() => createEncryptedFileTokenStore(path.join(directory, 'x.enc'), key)).toThrow(
        expect.objectContaining({ code: 'weak-key', userMessage: expect.any(Object) }),
      );
    }
  });
});
