/**
 * `fortnox-sync auth`: the OAuth2 authorization-code flow from a terminal. It listens on 127.0.0.1
 * for Fortnox's redirect, trades the code for tokens and stores them encrypted (AES-256-GCM) for the
 * other commands; then it marks the tenant connected in the storage.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { parseArgs } from 'node:util';
import { buildAuthorizationUrl, exchangeAuthorizationCode } from '../client/index.js';
import {
  baseUrlFlag,
  CLI_ACTOR,
  DEFAULT_DB_PATH,
  DEFAULT_TOKENS_PATH,
  openEngine,
  printError,
} from './cli-context.js';
import { type CliIo, EXIT_FAILURE, EXIT_NEEDS_RECONNECT, EXIT_OK, UsageError } from './cli-io.js';
import {
  createEncryptedFileTokenStore,
  TOKEN_KEY_ENV,
  TokenFileError,
} from './encrypted-token-store.js';

/** Port of the redirect listener when `--port` is not given (register http://127.0.0.1:8765/callback). */
export const DEFAULT_AUTH_PORT = 8765;
/** Scopes asked for when `--scopes` is not given. */
export const DEFAULT_SCOPES = ['customer', 'companyinformation'] as const;

/** Help text of `fortnox-sync auth`. */
export const AUTH_USAGE = `Usage: fortnox-sync auth [options]

Connects a Fortnox company: prints a URL to open in a browser, waits on 127.0.0.1 for Fortnox's
redirect, trades the code for tokens and stores them encrypted (AES-256-GCM, key from env
${TOKEN_KEY_ENV}, at least 16 characters) in the token file. Then "sync", "plan", "decisions" and
"duplicates" use and refresh them. Register the redirect URI http://127.0.0.1:<port>/callback
in your Fortnox app. Needs env FORTNOX_CLIENT_ID and FORTNOX_CLIENT_SECRET.

Options:
  --port <n>                    port of the redirect listener (default ${DEFAULT_AUTH_PORT}; 0 for any free port)
  --scopes <list>               scopes, comma or space separated (default ${DEFAULT_SCOPES.join(',')})
  --tokens <file>               encrypted token file to write (default ${DEFAULT_TOKENS_PATH})
  --db <file>                   SQLite storage whose tenant is marked connected (default ${DEFAULT_DB_PATH})
  --auth-url <url>              Fortnox OAuth base URL; env FORTNOX_AUTH_URL (default https://apps.fortnox.se)
  --timeout <seconds>           how long to wait for the browser (default 300)
  --json                        print the URL and the result as JSON lines
  -h, --help                    show this help

Exit codes: 0 connected, 1 failure (refused, timed out, port taken), 2 usage, 3 credentials or key missing.`;

const page = (title: string, text: string) =>
  `<!doctype html><html lang="en"><meta charset="utf-8"><title>${title}</title><body><h1>${title}</h1><p>${text}</p></body></html>`;

type Callback = { code: string } | { error: string };

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

function parseAuthArgs(argv: readonly string[]) {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      scopes: { type: 'string' },
      tokens: { type: 'string' },
      db: { type: 'string' },
      'auth-url': { type: 'string' },
      timeout: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const port = values.port ?? String(DEFAULT_AUTH_PORT);
  if (!/^\d+$/.test(port) || Number(port) > 65535) {
    throw new UsageError(`--port must be a whole number between 0 and 65535, got "${port}"`);
  }
  const timeout = values.timeout ?? '300';
  if (!/^\d+$/.test(timeout) || Number(timeout) < 1) {
    throw new UsageError(`--timeout must be a whole number of seconds, got "${timeout}"`);
  }
  const scopes = (values.scopes ?? DEFAULT_SCOPES.join(',')).split(/[\s,]+/).filter(Boolean);
  if (scopes.length === 0 || scopes.some((scope) => !/^[a-z0-9_]+$/i.test(scope))) {
    throw new UsageError('--scopes must list scope words, e.g. customer,companyinformation');
  }
  return {
    help: values.help === true,
    port: Number(port),
    scopes,
    tokensPath: values.tokens ?? DEFAULT_TOKENS_PATH,
    dbPath: values.db ?? DEFAULT_DB_PATH,
    authBaseUrl: values['auth-url'],
    timeoutMs: Number(timeout) * 1000,
    json: values.json === true,
  };
}

/** `fortnox-sync auth`. */
export async function runAuthCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseAuthArgs(argv);
  if (args.help) {
    io.stdout(AUTH_USAGE);
    return EXIT_OK;
  }
  const env = io.env ?? process.env;
  const authBaseUrl = baseUrlFlag(
    'auth-url',
    args.authBaseUrl ?? env.FORTNOX_AUTH_URL,
    (message) => new UsageError(message),
  );
  const clientId = env.FORTNOX_CLIENT_ID;
  const clientSecret = env.FORTNOX_CLIENT_SECRET;
  if (!clientId || !clientSecret) {
    io.stderr(
      'fortnox-sync auth: set FORTNOX_CLIENT_ID and FORTNOX_CLIENT_SECRET (your Fortnox app).',
    );
    return EXIT_NEEDS_RECONNECT;
  }
  let tokenStore: ReturnType<typeof createEncryptedFileTokenStore>;
  try {
    tokenStore = createEncryptedFileTokenStore(args.tokensPath, env[TOKEN_KEY_ENV]);
  } catch (cause) {
    printError(io, 'auth', cause);
    return EXIT_NEEDS_RECONNECT;
  }
  const state = randomBytes(16).toString('hex');
  let answer: (callback: Callback) => void = () => {};
  const callback = new Promise<Callback>((resolve) => {
    answer = resolve;
  });
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback' || url.searchParams.get('state') !== state) {
      response.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      response.end(
        page('Not this request', 'This address only takes Fortnox’s answer to fortnox-sync auth.'),
      );
      return;
    }
    const code = url.searchParams.get('code');
    const error = url.searchParams.get('error');
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(
      code === null
        ? page('Not connected', 'Fortnox did not grant access. See the terminal.')
        : page('Connected', 'fortnox-sync is connected to Fortnox. You can close this tab.'),
    );
    answer(code === null ? { error: error ?? 'no code' } : { code });
  });
  let port: number;
  try {
    port = await listen(server, args.port);
  } catch (cause) {
    io.stderr(
      `fortnox-sync auth: cannot listen on 127.0.0.1:${args.port}: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    return EXIT_FAILURE;
  }
  const redirectUri = `http://127.0.0.1:${port}/callback`;
  const timer = setTimeout(() => answer({ error: 'timeout' }), args.timeoutMs);
  const onAbort = () => answer({ error: 'aborted' });
  io.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const authorizationUrl = buildAuthorizationUrl({
      clientId,
      redirectUri,
      scopes: args.scopes,
      state,
      ...(authBaseUrl === undefined ? {} : { authBaseUrl }),
    });
    if (args.json) io.stdout(JSON.stringify({ authorizationUrl, redirectUri }));
    else {
      io.stdout('Open this URL in a browser and approve access:');
      io.stdout(`  ${authorizationUrl}`);
      io.stdout(`Waiting for Fortnox on ${redirectUri} …`);
    }
    const result = await callback;
    if ('error' in result) {
      io.stderr(
        result.error === 'timeout'
          ? `fortnox-sync auth: no answer from the browser within ${args.timeoutMs / 1000} s.`
          : `fortnox-sync auth: not connected (${result.error}).`,
      );
      return EXIT_FAILURE;
    }
    const exchanged = await exchangeAuthorizationCode({
      clientId,
      clientSecret,
      code: result.code,
      redirectUri,
      ...(authBaseUrl === undefined ? {} : { authBaseUrl }),
    });
    if (exchanged.isErr()) {
      printError(io, 'auth', exchanged.error);
      return EXIT_FAILURE;
    }
    const tokens = exchanged.value;
    const tenantId = tokens.tenantId;
    if (tenantId === undefined) {
      io.stderr('fortnox-sync auth: the access token names no tenant; cannot store it.');
      return EXIT_FAILURE;
    }
    await tokenStore.save(tenantId, tokens);
    const { engine, close } = openEngine(
      {
        tenantId,
        dbPath: args.dbPath,
        apiBaseUrl: undefined,
        authBaseUrl,
        tokensPath: args.tokensPath,
        clientCredentials: false,
        rateLimit: 25,
        json: args.json,
      },
      env,
    );
    try {
      const connected = await engine.connect(tenantId, CLI_ACTOR);
      if (connected.isErr()) throw connected.error;
    } finally {
      await close();
    }
    const details = {
      tenantId,
      scope: tokens.scope ?? null,
      accessTokenExpiresAt: new Date(tokens.expiresAt).toISOString(),
      tokens: args.tokensPath,
    };
    if (args.json) io.stdout(JSON.stringify(details));
    else {
      io.stdout(`Connected tenant ${tenantId} (scopes: ${details.scope ?? 'not stated'}).`);
      io.stdout(
        `Tokens stored encrypted in ${args.tokensPath}; the access token lasts until ${details.accessTokenExpiresAt} and is refreshed automatically (the refresh token lasts 45 days).`,
      );
    }
    return EXIT_OK;
  } catch (cause) {
    if (!(cause instanceof TokenFileError)) throw cause;
    printError(io, 'auth', cause);
    return EXIT_NEEDS_RECONNECT;
  } finally {
    clearTimeout(timer);
    io.signal?.removeEventListener('abort', onAbort);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
