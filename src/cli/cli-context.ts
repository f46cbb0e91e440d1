/**
 * What the tenant commands (`plan`, `sync`, `decisions`, `duplicates`, `status`) share: the common
 * flags, the Fortnox client built from the environment, the SQLite storage and the engine.
 */

import { existsSync } from 'node:fs';
import { createFortnoxClient, type FortnoxAuth, type FortnoxClient } from '../client/index.js';
import { parseBaseUrl } from '../client/options.js';
import { createMemoryStorage } from '../storage/index.js';
import { createSqliteStorage } from '../storage/sqlite/index.js';
import type { SyncStorage } from '../storage/sync-storage.js';
import { createSyncEngine } from '../sync/create-sync-engine.js';
import type { SyncEngine, SyncEvent } from '../sync/sync-engine-types.js';
import { type CliIo, jsonErrorLine } from './cli-io.js';
import { createEncryptedFileTokenStore, TOKEN_KEY_ENV } from './encrypted-token-store.js';

/** Where the SQLite storage lives when `--db` is not given. */
export const DEFAULT_DB_PATH = './fortnox-sync.db';
/** Where `auth` writes the encrypted tokens when `--tokens` is not given. */
export const DEFAULT_TOKENS_PATH = './fortnox-tokens.enc';
/** Fortnox's documented rate limit: requests per 5 s per tenant and app. */
export const FORTNOX_RATE_LIMIT = 25;
/** The actor the CLI acts as (stored with settled decisions). */
export const CLI_ACTOR = { id: 'fortnox-sync-cli', roles: ['admin'] } as const;

/** The flags every tenant command takes, for `parseArgs`. */
export const COMMON_OPTIONS = {
  tenant: { type: 'string' },
  db: { type: 'string' },
  'api-url': { type: 'string' },
  'auth-url': { type: 'string' },
  tokens: { type: 'string' },
  'client-credentials': { type: 'boolean' },
  rate: { type: 'string' },
  'force-rate': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Help lines of {@link COMMON_OPTIONS}. */
export const COMMON_USAGE = `Connection (every tenant command):
  --tenant <id>                 the Fortnox tenant (DatabaseNumber); env FORTNOX_TENANT_ID
  --db <file>                   SQLite storage of links, decisions and queued work (default ${DEFAULT_DB_PATH})
  --api-url <url>               Fortnox API base URL, without /3; env FORTNOX_API_URL (default https://api.fortnox.se)
  --auth-url <url>              Fortnox OAuth base URL; env FORTNOX_AUTH_URL (default https://apps.fortnox.se)
  --tokens <file>               encrypted token file written by "auth" (default ${DEFAULT_TOKENS_PATH});
                                its key is read from env ${TOKEN_KEY_ENV}
  --client-credentials          authenticate as a service account (env FORTNOX_CLIENT_ID/SECRET)
  --rate <n>                    requests per 5 s the client may send (default 25, Fortnox's limit; above
                                it Fortnox answers 429 and the client slows down to its pace anyway)
  --force-rate                  allow --rate above 25 against the real Fortnox (e.g. a limit agreed with it)
  --json                        print one JSON document for scripts
  -h, --help                    show this help
Credentials come from the environment: FORTNOX_ACCESS_TOKEN (a fixed token, e.g. the emulator's),
else FORTNOX_CLIENT_ID + FORTNOX_CLIENT_SECRET with --client-credentials or the token file.`;

/** Parsed common flags. */
export type CommonFlags = {
  readonly tenantId: string;
  readonly dbPath: string;
  readonly apiBaseUrl: string | undefined;
  readonly authBaseUrl: string | undefined;
  readonly tokensPath: string;
  readonly clientCredentials: boolean;
  readonly rateLimit: number;
  readonly json: boolean;
};

/** Thrown when no credentials are configured: exit code 3 (connect first). */
export class MissingCredentialsError extends Error {
  override readonly name = 'MissingCredentialsError';
  readonly kind = 'missing-credentials' as const;
  readonly userMessage = {
    sv: `Inga inloggningsuppgifter för Fortnox: sätt FORTNOX_ACCESS_TOKEN, eller FORTNOX_CLIENT_ID och FORTNOX_CLIENT_SECRET och kör "fortnox-sync auth".`,
    en: `No Fortnox credentials: set FORTNOX_ACCESS_TOKEN, or FORTNOX_CLIENT_ID and FORTNOX_CLIENT_SECRET and run "fortnox-sync auth".`,
  };
  constructor() {
    super(
      'No Fortnox credentials: set FORTNOX_ACCESS_TOKEN, or FORTNOX_CLIENT_ID and FORTNOX_CLIENT_SECRET and run "fortnox-sync auth".',
    );
  }
}

const URL_ENV = { 'api-url': 'FORTNOX_API_URL', 'auth-url': 'FORTNOX_AUTH_URL' } as const;

/**
 * A base URL flag checked as `createFortnoxClient` checks it, so that a wrong one is a usage error
 * naming the flag and what to write (e.g. an `--api-url` ending in `/3`), not a failure later on.
 * An empty variable counts as unset.
 */
export function baseUrlFlag(
  name: keyof typeof URL_ENV,
  value: string | undefined,
  usageError: (message: string) => Error,
): string | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    parseBaseUrl(`--${name}`, value);
  } catch (cause) {
    const reason =
      cause instanceof Error ? cause.message.replace(/^createFortnoxClient: /, '') : '';
    throw usageError(`${reason} (from --${name} or env ${URL_ENV[name]}, got "${value}")`);
  }
  return value;
}

/** Reads the common flags (already parsed by `parseArgs`) with the environment as fallback. */
export function readCommonFlags(
  values: Partial<Record<keyof typeof COMMON_OPTIONS, string | boolean | undefined>>,
  env: NodeJS.ProcessEnv,
  usageError: (message: string) => Error,
): CommonFlags {
  const text = (value: string | boolean | undefined) =>
    typeof value === 'string' ? value : undefined;
  // An empty variable (FORTNOX_TENANT_ID=) counts as unset.
  const tenantId = text(values.tenant) ?? (env.FORTNOX_TENANT_ID || undefined);
  if (tenantId === undefined) {
    throw usageError('--tenant <id> (or env FORTNOX_TENANT_ID) is required, e.g. --tenant 1000001');
  }
  if (!/^\d{1,18}$/.test(tenantId)) {
    throw usageError(`--tenant must be a Fortnox DatabaseNumber (digits only), got "${tenantId}"`);
  }
  const rate = text(values.rate);
  if (rate !== undefined && (!/^\d+$/.test(rate) || Number(rate) < 1 || Number(rate) > 10_000)) {
    throw usageError(`--rate must be a whole number of requests per 5 s (1–10000), got "${rate}"`);
  }
  const apiBaseUrl = baseUrlFlag(
    'api-url',
    text(values['api-url']) ?? env.FORTNOX_API_URL,
    usageError,
  );
  if (
    rate !== undefined &&
    Number(rate) > FORTNOX_RATE_LIMIT &&
    isRealFortnox(apiBaseUrl) &&
    values['force-rate'] !== true
  ) {
    throw usageError(
      `--rate ${rate} is above Fortnox's limit of ${FORTNOX_RATE_LIMIT} requests per 5 s: Fortnox would answer 429 and the run would be no faster. Leave --rate out, or add --force-rate if Fortnox has granted your app more.`,
    );
  }
  return {
    tenantId,
    dbPath: text(values.db) ?? DEFAULT_DB_PATH,
    apiBaseUrl,
    authBaseUrl: baseUrlFlag(
      'auth-url',
      text(values['auth-url']) ?? env.FORTNOX_AUTH_URL,
      usageError,
    ),
    tokensPath: text(values.tokens) ?? DEFAULT_TOKENS_PATH,
    clientCredentials: values['client-credentials'] === true,
    rateLimit: rate === undefined ? 25 : Number(rate),
    json: values.json === true,
  };
}

/** True unless the API base URL is another server than Fortnox's (e.g. the emulator on localhost). */
function isRealFortnox(apiBaseUrl: string | undefined): boolean {
  if (apiBaseUrl === undefined) return true;
  try {
    const host = new URL(apiBaseUrl).hostname;
    return host === 'fortnox.se' || host.endsWith('.fortnox.se');
  } catch {
    // An unreadable URL is refused by the client itself.
    return false;
  }
}

/**
 * The line to print when Fortnox answered 429: the server's limit was below what the client sent,
 * and why that may be. `undefined` when no request was refused.
 */
export function rateLimitedLine(rateLimited: number, rate: number): string | undefined {
  if (rateLimited === 0) return undefined;
  const why =
    rate > FORTNOX_RATE_LIMIT
      ? `--rate ${rate} is above the server's limit (Fortnox's is ${FORTNOX_RATE_LIMIT} per 5 s); the client slowed down to the pace the server accepted (leave --rate out to avoid the 429s)`
      : 'another program may be using the same Fortnox company; the client slowed down and retried';
  return `The server answered 429 (too many requests) ${rateLimited} time(s): ${why}.`;
}

/** The auth strategy the environment and flags select; throws {@link MissingCredentialsError}. */
export function authFromEnvironment(flags: CommonFlags, env: NodeJS.ProcessEnv): FortnoxAuth {
  const { tenantId } = flags;
  if (env.FORTNOX_ACCESS_TOKEN) {
    return { type: 'access-token', accessToken: env.FORTNOX_ACCESS_TOKEN, tenantId };
  }
  const clientId = env.FORTNOX_CLIENT_ID;
  const clientSecret = env.FORTNOX_CLIENT_SECRET;
  if (!clientId || !clientSecret) throw new MissingCredentialsError();
  if (flags.clientCredentials)
    return { type: 'client-credentials', clientId, clientSecret, tenantId };
  return {
    type: 'refresh-token',
    clientId,
    clientSecret,
    tenantId,
    tokenStore: createEncryptedFileTokenStore(flags.tokensPath, env[TOKEN_KEY_ENV]),
  };
}

/** Counts what the client sent (through its hooks). */
export type RequestCounter = { requests: number; rateLimited: number };

/** The engine over SQLite at `--db`, with a client built lazily (commands that only read need none). */
export function openEngine(
  flags: CommonFlags,
  env: NodeJS.ProcessEnv,
  extra: {
    readonly source?: Parameters<typeof createSyncEngine>[0]['source'];
    readonly onEvent?: (event: SyncEvent) => void;
    /**
     * Only reads (`status`, `decisions` listing): a `--db` file that does not exist is not created;
     * the engine runs on an empty in-memory storage instead (nothing synced from here yet).
     */
    readonly readOnly?: boolean;
  } = {},
): {
  engine: SyncEngine;
  storage: SyncStorage;
  counter: RequestCounter;
  close: () => Promise<void>;
  /** `readOnly` and no file at `--db`: nothing was synced from here (or `--db` points elsewhere). */
  databaseMissing: boolean;
} {
  const counter: RequestCounter = { requests: 0, rateLimited: 0 };
  const databaseMissing = extra.readOnly === true && !existsSync(flags.dbPath);
  const storage = databaseMissing
    ? createMemoryStorage()
    : createSqliteStorage({ path: flags.dbPath });
  let client: FortnoxClient | undefined;
  const engine = createSyncEngine({
    storage,
    clients: () => {
      client ??= createFortnoxClient({
        auth: authFromEnvironment(flags, env),
        ...(flags.apiBaseUrl === undefined ? {} : { apiBaseUrl: flags.apiBaseUrl }),
        ...(flags.authBaseUrl === undefined ? {} : { authBaseUrl: flags.authBaseUrl }),
        rateLimit: { limit: flags.rateLimit, windowMs: 5_000 },
        hooks: {
          onResponse: () => {
            counter.requests += 1;
          },
          onRateLimited: () => {
            counter.rateLimited += 1;
          },
        },
      });
      return client;
    },
    saveTimeoutMs: 60_000,
    ...(extra.source === undefined ? {} : { source: extra.source }),
    ...(extra.onEvent === undefined ? {} : { onEvent: extra.onEvent }),
  });
  return {
    engine,
    storage,
    counter,
    close: async () => {
      await engine.stop();
      await storage.close();
    },
    databaseMissing,
  };
}

/** True when an error (or its causes) says Fortnox refused the credentials: run `auth` again. */
export function needsReconnect(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const candidate = current as { kind?: unknown; reconnectRequired?: unknown; cause?: unknown };
    if (candidate.kind === 'auth' && candidate.reconnectRequired === true) return true;
    // No credentials at all (the CLI's client factory threw; the engine wraps it as client-factory).
    if (candidate.kind === 'missing-credentials') return true;
    current = candidate.cause;
  }
  return false;
}

/** Prints an error with `kind`/`userMessage` (an engine, file or token error) without personal data. */
export function printError(io: CliIo, command: string, thrown: unknown): void {
  // The engine wraps what the CLI's own client factory threw (missing credentials, a token file it
  // cannot read): the factory's error is the one that tells the user what to do.
  const wrapped = thrown as { kind?: unknown; cause?: unknown } | null;
  const error =
    wrapped?.kind === 'client-factory' &&
    typeof wrapped.cause === 'object' &&
    wrapped.cause !== null
      ? wrapped.cause
      : thrown;
  const known = error as { message?: string; userMessage?: { en?: string; sv?: string } };
  const message = known.userMessage?.en ?? known.message ?? String(error);
  io.stderr(`fortnox-sync ${command}: ${message}`);
  if (known.userMessage?.sv !== undefined) io.stderr(`  (sv) ${known.userMessage.sv}`);
  if (io.json === true) io.stdout(jsonErrorLine(error));
}

/** Says on stderr that `--db` names no file yet (a read-only command then shows an empty state). */
export function noteMissingDatabase(io: CliIo, command: string, dbPath: string): void {
  io.stderr(
    `fortnox-sync ${command}: no sync database at ${dbPath} yet: nothing has been synced from here (pass --db <file> if it is elsewhere).`,
  );
}
