/** The claims of a Fortnox access token this library reads (decoded, never verified). */
export type AccessTokenClaims = {
  /** The Fortnox tenant (company) id. */
  readonly tenantId?: string;
  /** Expiry, epoch seconds. */
  readonly exp?: number;
};

/** Decodes base64url with web APIs only (no Node `Buffer`), so the client runs on any runtime. */
function decodeBase64Url(segment: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(segment)) return undefined;
  const base64 = segment.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  try {
    const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='));
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Reads the claims of a JWT access token without verifying it (Fortnox verifies; we only want the
 * tenant id). Returns `{}` for a token that is not a readable JWT: opaque tokens are fine.
 */
export function decodeAccessTokenClaims(accessToken: string): AccessTokenClaims {
  const payload = accessToken.split('.')[1];
  if (payload === undefined) return {};
  const json = decodeBase64Url(payload);
  if (json === undefined) return {};
  let claims: unknown;
  try {
    claims = JSON.parse(json);
  } catch {
    return {};
  }
  if (typeof claims !== 'object' || claims === null) return {};
  const { tenantId, exp } = claims as Record<string, unknown>;
  const tenant =
    typeof tenantId === 'string' && tenantId.trim() !== ''
      ? tenantId.trim()
      : typeof tenantId === 'number' && Number.isFinite(tenantId)
        ? String(tenantId)
        : undefined;
  return {
    ...(tenant === undefined ? {} : { tenantId: tenant }),
    ...(typeof exp === 'number' && Number.isFinite(exp) ? { exp } : {}),
  };
}
