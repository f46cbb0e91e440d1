/**
 * A {@link TokenStore} in one file, encrypted with AES-256-GCM: what `fortnox-sync auth` writes and
 * the other commands read. The key is derived with scrypt from a secret (at least 16 characters, from
 * the environment, never a flag value that shows in `ps`) and a random salt kept in the file; every
 * save draws a new IV. A wrong key or a changed file fails the GCM check: a typed error, no guess.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { FortnoxTokens, TokenStore } from '../client/index.js';

/** Environment variable holding the token file's secret. */
export const TOKEN_KEY_ENV = 'FORTNOX_SYNC_KEY';
/** Shortest secret accepted. */
export const MIN_KEY_LENGTH = 16;

const FORMAT = 'fortnox-sync-tokens';
const VERSION = 1;
const AAD = Buffer.from(`${FORMAT} v${VERSION}`);

type TokenFile = {
  format: typeof FORMAT;
  version: typeof VERSION;
  salt: string;
  iv: string;
  tag: string;
  data: string;
};

/** Why the token file could not be used. */
export type TokenFileErrorCode = 'weak-key' | 'wrong-key' | 'unreadable' | 'missing';

/** The encrypted token file cannot be used. Its words never hold a token. */
export class TokenFileError extends Error {
  override readonly name = 'TokenFileError';
  readonly kind = 'token-file' as const;
  readonly code: TokenFileErrorCode;
  readonly userMessage: { readonly sv: string; readonly en: string };

  constructor(
    code: TokenFileErrorCode,
    message: string,
    userMessage: { sv: string; en: string },
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
    this.userMessage = userMessage;
  }
}

const WORDS: Record<TokenFileErrorCode, { en: string; sv: string }> = {
  'weak-key': {
    en: `The token key in ${TOKEN_KEY_ENV} must be at least ${MIN_KEY_LENGTH} characters.`,
    sv: `Nyckeln i ${TOKEN_KEY_ENV} måste vara minst ${MIN_KEY_LENGTH} tecken.`,
  },
  'wrong-key': {
    en: `The token file cannot be decrypted: the key in ${TOKEN_KEY_ENV} is not the one it was written with, or the file was changed. Run "fortnox-sync auth" again.`,
    sv: `Tokenfilen kan inte dekrypteras: nyckeln i ${TOKEN_KEY_ENV} är inte den den skrevs med, eller så har filen ändrats. Kör "fortnox-sync auth" igen.`,
  },
  unreadable: {
    en: 'The token file is not a fortnox-sync token file. Run "fortnox-sync auth" again.',
    sv: 'Tokenfilen är ingen fortnox-sync-tokenfil. Kör "fortnox-sync auth" igen.',
  },
  missing: {
    en: 'There is no token file yet. Run "fortnox-sync auth" first.',
    sv: 'Det finns ingen tokenfil än. Kör "fortnox-sync auth" först.',
  },
};

const fail = (code: TokenFileErrorCode, cause?: unknown) =>
  new TokenFileError(code, WORDS[code].en, WORDS[code], cause === undefined ? {} : { cause });

/** Checks a secret's length; throws `weak-key`. */
export function requireTokenKey(secret: string | undefined): string {
  if (secret === undefined || secret.length < MIN_KEY_LENGTH) throw fail('weak-key');
  return secret;
}

function isTokenFile(value: unknown): value is TokenFile {
  const file = value as Partial<TokenFile> | null;
  return (
    typeof file === 'object' &&
    file !== null &&
    file.format === FORMAT &&
    file.version === VERSION &&
    ['salt', 'iv', 'tag', 'data'].every(
      (key) => typeof (file as Record<string, unknown>)[key] === 'string',
    )
  );
}

/**
 * The tokens of every tenant in an encrypted file at `path` (created on the first save, mode 0600).
 * @example
 * const tokenStore = createEncryptedFileTokenStore('./fortnox-tokens.enc', process.env.FORTNOX_SYNC_KEY);
 */
export function createEncryptedFileTokenStore(
  path: string,
  secret: string | undefined,
): TokenStore {
  const passphrase = requireTokenKey(secret);
  const keys = new Map<string, Buffer>();
  const keyFor = (salt: Buffer) => {
    const id = salt.toString('base64');
    let key = keys.get(id);
    if (key === undefined) {
      key = scryptSync(passphrase, salt, 32);
      keys.set(id, key);
    }
    return key;
  };
  let chain: Promise<unknown> = Promise.resolve();

  const readAll = async (): Promise<{ salt: Buffer; tokens: Record<string, FortnoxTokens> }> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (cause) {
      if ((cause as { code?: string }).code === 'ENOENT')
        return { salt: randomBytes(16), tokens: {} };
      throw fail('unreadable', cause);
    }
    let file: unknown;
    try {
      file = JSON.parse(text);
    } catch (cause) {
      throw fail('unreadable', cause);
    }
    if (!isTokenFile(file)) throw fail('unreadable');
    const salt = Buffer.from(file.salt, 'base64');
    try {
      const decipher = createDecipheriv(
        'aes-256-gcm',
        keyFor(salt),
        Buffer.from(file.iv, 'base64'),
      );
      decipher.setAAD(AAD);
      decipher.setAuthTag(Buffer.from(file.tag, 'base64'));
      const plain = Buffer.concat([
        decipher.update(Buffer.from(file.data, 'base64')),
        decipher.final(),
      ]);
      return { salt, tokens: JSON.parse(plain.toString('utf8')) as Record<string, FortnoxTokens> };
    } catch (cause) {
      throw fail('wrong-key', cause);
    }
  };

  const writeAll = async (salt: Buffer, tokens: Record<string, FortnoxTokens>) => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', keyFor(salt), iv);
    cipher.setAAD(AAD);
    const data = Buffer.concat([cipher.update(JSON.stringify(tokens), 'utf8'), cipher.final()]);
    const file: TokenFile = {
      format: FORMAT,
      version: VERSION,
      salt: salt.toString('base64'),
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
    // Refresh tokens are single-use: the new one must be on disk before it is used.
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(file)}\n`, { mode: 0o600, flush: true });
    await rename(temporary, path);
  };

  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = chain.then(work, work);
    chain = run.catch(() => undefined);
    return run;
  };

  return {
    load: (tenantId) => serial(async () => (await readAll()).tokens[tenantId]),
    save: (tenantId, tokens) =>
      serial(async () => {
        const { salt, tokens: all } = await readAll();
        await writeAll(salt, { ...all, [tenantId]: { ...tokens } });
      }),
  };
}
