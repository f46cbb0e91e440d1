import { randomBytes, randomUUID } from 'node:crypto';
import { type AccessTokenClaims, signJwt, verifyJwt } from './jwt.js';
import type { ResolvedFortnoxEmulatorOptions } from './options.js';

/** Who a token or code speaks for. */
export type Grant = {
  readonly tenantId: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
};

/** An issued access token. */
export type IssuedAccessToken = { readonly accessToken: string; readonly expiresIn: number };

/** Why a bearer token was refused. */
export type TokenRefusal = 'missing' | 'invalid' | 'expired' | 'revoked';

type Expiring = Grant & { readonly expiresAt: number };
type PendingCode = Expiring & { readonly redirectUri: string | undefined };

/** Issues and checks authorization codes, access tokens and single-use refresh tokens. */
export type TokenStore = {
  issueAccessToken(grant: Grant, lifetimeSeconds?: number): IssuedAccessToken;
  /** Checks a bearer token: the grant, or why it is refused. */
  verifyAccessToken(token: string): Grant | TokenRefusal;
  issueRefreshToken(grant: Grant): string;
  /** Consumes a refresh token (single use): the grant it carried, or `undefined` when dead. */
  consumeRefreshToken(token: string, clientId: string): Grant | undefined;
  issueCode(grant: Grant, redirectUri: string | undefined): string;
  /** Consumes an authorization code (single use, 10 minutes). */
  consumeCode(code: string, clientId: string, redirectUri: string | undefined): Grant | undefined;
  /** Revokes one refresh or access token; true when it was known. */
  revoke(token: string): boolean;
  /** Revokes every token of a tenant (the fault "token revoked", or a user disconnecting). */
  revokeTenant(tenantId: string): void;
  clear(): void;
};

const opaque = () => randomBytes(24).toString('base64url');

/** Creates the token store of one emulator. */
export function createTokenStore(options: ResolvedFortnoxEmulatorOptions): TokenStore {
  const { now, oauth } = options;
  const accessTokens = new Map<string, { tenantId: string; revoked: boolean }>();
  const refreshTokens = new Map<string, Expiring>();
  const codes = new Map<string, PendingCode>();
  const seconds = () => Math.floor(now() / 1000);
  const alive = (entry: Expiring | undefined) => entry !== undefined && entry.expiresAt > now();

  return {
    issueAccessToken(grant, lifetimeSeconds = oauth.accessTokenLifetimeSeconds) {
      const jti = randomUUID();
      const claims: AccessTokenClaims = {
        iss: 'fortnox-sync-emulator',
        jti,
        tenantId: /^\d+$/.test(grant.tenantId) ? Number(grant.tenantId) : grant.tenantId,
        clientId: grant.clientId,
        scope: grant.scopes.join(' '),
        iat: seconds(),
        exp: seconds() + lifetimeSeconds,
      };
      accessTokens.set(jti, { tenantId: grant.tenantId, revoked: false });
      return { accessToken: signJwt(claims, oauth.tokenSecret), expiresIn: lifetimeSeconds };
    },
    verifyAccessToken(token) {
      const staticTenant = options.staticTokens[token];
      if (staticTenant !== undefined) {
        const clientId = oauth.clients[0]?.clientId ?? '';
        return { tenantId: staticTenant, clientId, scopes: ['customer', 'companyinformation'] };
      }
      const claims = verifyJwt(token, oauth.tokenSecret);
      const entry = claims === undefined ? undefined : accessTokens.get(claims.jti);
      if (claims === undefined || entry === undefined) return 'invalid';
      if (entry.revoked) return 'revoked';
      if (claims.exp <= seconds()) return 'expired';
      return {
        tenantId: entry.tenantId,
        clientId: claims.clientId,
        scopes: claims.scope.split(' '),
      };
    },
    issueRefreshToken(grant) {
      const token = opaque();
      refreshTokens.set(token, {
        ...grant,
        expiresAt: now() + oauth.refreshTokenLifetimeSeconds * 1000,
      });
      return token;
    },
    consumeRefreshToken(token, clientId) {
      const entry = refreshTokens.get(token);
      // Single-use rotation: the old token dies at once, whether or not it was valid for this client.
      refreshTokens.delete(token);
      if (!alive(entry) || entry === undefined || entry.clientId !== clientId) return undefined;
      return { tenantId: entry.tenantId, clientId: entry.clientId, scopes: entry.scopes };
    },
    issueCode(grant, redirectUri) {
      const code = opaque();
      codes.set(code, {
        ...grant,
        redirectUri,
        expiresAt: now() + oauth.authorizationCodeLifetimeSeconds * 1000,
      });
      return code;
    },
    consumeCode(code, clientId, redirectUri) {
      const entry = codes.get(code);
      codes.delete(code);
      if (!alive(entry) || entry === undefined || entry.clientId !== clientId) return undefined;
      if (entry.redirectUri !== undefined && entry.redirectUri !== redirectUri) return undefined;
      return { tenantId: entry.tenantId, clientId: entry.clientId, scopes: entry.scopes };
    },
    revoke(token) {
      if (refreshTokens.delete(token)) return true;
      const claims = verifyJwt(token, oauth.tokenSecret);
      const entry = claims === undefined ? undefined : accessTokens.get(claims.jti);
      if (entry === undefined) return false;
      entry.revoked = true;
      return true;
    },
    revokeTenant(tenantId) {
      for (const entry of accessTokens.values())
        if (entry.tenantId === tenantId) entry.revoked = true;
      for (const [token, entry] of refreshTokens)
        if (entry.tenantId === tenantId) refreshTokens.delete(token);
    },
    clear() {
      accessTokens.clear();
      refreshTokens.clear();
      codes.clear();
    },
  };
}
