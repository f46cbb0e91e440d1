import { createHmac, timingSafeEqual } from 'node:crypto';

/** Claims of an emulator access token; Fortnox's own tokens carry `tenantId` too. */
export type AccessTokenClaims = {
  readonly iss: string;
  readonly jti: string;
  /** Numeric when the tenant id is numeric, as Fortnox's `DatabaseNumber`. */
  readonly tenantId: number | string;
  readonly clientId: string;
  /** Space-separated scopes. */
  readonly scope: string;
  /** Seconds since the epoch. */
  readonly iat: number;
  readonly exp: number;
};

const encode = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const HEADER = encode(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function sign(input: string, secret: string): string {
  return createHmac('sha256', secret).update(input).digest('base64url');
}

/** Signs claims as an HS256 JWT. */
export function signJwt(claims: AccessTokenClaims, secret: string): string {
  const body = `${HEADER}.${encode(JSON.stringify(claims))}`;
  return `${body}.${sign(body, secret)}`;
}

function isClaims(value: unknown): value is AccessTokenClaims {
  if (typeof value !== 'object' || value === null) return false;
  const claims = value as Record<string, unknown>;
  return (
    typeof claims.jti === 'string' &&
    (typeof claims.tenantId === 'number' || typeof claims.tenantId === 'string') &&
    typeof claims.clientId === 'string' &&
    typeof claims.scope === 'string' &&
    typeof claims.exp === 'number'
  );
}

/** Verifies the signature and shape of a JWT; `undefined` for anything forged or malformed. */
export function verifyJwt(token: string, secret: string): AccessTokenClaims | undefined {
  const [header, payload, signature, ...rest] = token.split('.');
  if (header !== HEADER || payload === undefined || signature === undefined || rest.length > 0) {
    return undefined;
  }
  const expected = Buffer.from(sign(`${header}.${payload}`, secret));
  const actual = Buffer.from(signature);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return isClaims(claims) ? claims : undefined;
  } catch {
    return undefined;
  }
}
