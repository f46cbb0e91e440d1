/** The tokens of one Fortnox connection (OAuth2 authorization-code flow). */
export type FortnoxTokens = {
  /** Bearer token for the API (a JWT, lives one hour). */
  readonly accessToken: string;
  /** Single-use refresh token (lives 45 days); every refresh returns a new one. */
  readonly refreshToken: string;
  /** When the access token expires, in epoch milliseconds. */
  readonly expiresAt: number;
  /** Space-separated scopes granted, when Fortnox said. */
  readonly scope?: string;
  /** The tenant (company) id read from the access token, when it carries one. */
  readonly tenantId?: string;
};

/**
 * Where the client keeps a connection's tokens between calls and processes. Plain Promises, small
 * enough to implement over any database. Refresh tokens are single-use, so `save` must be durable
 * before it resolves: the client uses a new access token only after `save` succeeded.
 */
export type TokenStore = {
  /** The tokens saved for `tenantId`, or `undefined` when there are none. */
  load(tenantId: string): Promise<FortnoxTokens | undefined>;
  /** Saves (replaces) the tokens of `tenantId`. */
  save(tenantId: string, tokens: FortnoxTokens): Promise<void>;
  /**
   * Optional: runs `critical` while holding an exclusive lock for `tenantId` (e.g. a Postgres row lock),
   * so processes sharing the store never refresh one tenant at the same time. The client re-reads the
   * tokens inside the lock and skips the refresh when another holder already did it.
   */
  lock?<T>(tenantId: string, critical: () => Promise<T>): Promise<T>;
};

/**
 * An in-memory {@link TokenStore} (tests, scripts, single-process apps). Its `lock` serialises
 * refreshes of one tenant across every client sharing this store.
 * @example
 * const tokenStore = createMemoryTokenStore();
 * await tokenStore.save(tenantId, await exchangeAuthorizationCode({ ... }).unwrapOr(...));
 */
export function createMemoryTokenStore(
  initial: Readonly<Record<string, FortnoxTokens>> = {},
): TokenStore {
  const tokens = new Map<string, FortnoxTokens>(Object.entries(initial));
  const locks = new Map<string, Promise<unknown>>();
  return {
    load: async (tenantId) => tokens.get(tenantId),
    save: async (tenantId, value) => {
      tokens.set(tenantId, { ...value });
    },
    async lock<T>(tenantId: string, critical: () => Promise<T>): Promise<T> {
      const previous = locks.get(tenantId) ?? Promise.resolve();
      const run = previous.then(critical, critical);
      const settled = run.then(
        () => undefined,
        () => undefined,
      );
      locks.set(tenantId, settled);
      try {
        return await run;
      } finally {
        if (locks.get(tenantId) === settled) locks.delete(tenantId);
      }
    },
  };
}
