import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import { type Clock, sleep } from './clock.js';
import { DEFAULT_TOKEN_LIFETIME_SECONDS } from './defaults.js';
import { parseJsonText, toValidationIssues } from './error-factory.js';
import {
  FortnoxAuthError,
  type FortnoxError,
  FortnoxInvalidResponseError,
  type RedactedRequest,
} from './errors.js';
import { decodeAccessTokenClaims } from './jwt.js';
import { computeBackoffDelay, type ResolvedRetryOptions } from './retry-policy.js';
import type { Transport } from './transport.js';
import { createAbortedError, outcomeToTransportError } from './transport-errors.js';

/** Tokens as the token endpoint returned them (client credentials bring no refresh token). */
export type IssuedTokens = {
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
  readonly expiresAt: number;
  readonly scope?: string;
  readonly tenantId?: string;
};

/** What a call to Fortnox's OAuth2 server needs. */
export type TokenEndpointContext = {
  readonly transport: Transport;
  readonly authBaseUrl: URL;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly timeoutMs: number;
  readonly retry: ResolvedRetryOptions;
  readonly clock: Clock;
  readonly random: () => number;
  /** Wall-clock epoch ms (token expiry is absolute). */
  readonly now: () => number;
};

const TokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
  scope: z.string().optional(),
  token_type: z.string().optional(),
});

const OAuthErrorSchema = z.looseObject({
  error: z.string(),
  error_description: z.string().optional(),
});

function basicAuthorization(clientId: string, clientSecret: string): string {
  const bytes = new TextEncoder().encode(`${clientId}:${clientSecret}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

function oauthError(status: number, error: string, request: RedactedRequest): FortnoxAuthError {
  if (error === 'invalid_grant') {
    return new FortnoxAuthError({
      reason: 'invalid-grant',
      reconnectRequired: true,
      retryable: false,
      status,
      oauthError: error,
      request,
      message:
        'Fortnox rejected the grant (invalid_grant): the refresh token or code is dead; a person must connect the Fortnox account again.',
    });
  }
  const badClient = error === 'invalid_client' || error === 'unauthorized_client';
  return new FortnoxAuthError({
    reason: badClient ? 'invalid-client' : 'token-endpoint',
    reconnectRequired: false,
    retryable: false,
    status,
    oauthError: error,
    request,
    message: badClient
      ? `Fortnox rejected the client id or secret (${error}).`
      : `Fortnox's token endpoint refused the request (${error}).`,
  });
}

/**
 * POSTs a form to an OAuth2 endpoint (`/oauth-v1/token`, `/oauth-v1/revoke`), retrying network
 * failures, timeouts, 429 and 5xx. Resolves with the parsed JSON body of a 2xx answer.
 */
export async function postOAuthForm(
  context: TokenEndpointContext,
  path: string,
  form: URLSearchParams,
  extraHeaders: Readonly<Record<string, string>>,
  signal: AbortSignal | undefined,
): Promise<Result<unknown, FortnoxError>> {
  const request: RedactedRequest = { method: 'POST', path };
  const url = new URL(path, context.authBaseUrl);
  for (let attempt = 1; ; attempt += 1) {
    const outcome = await context.transport({
      method: 'POST',
      url,
      headers: {
        Authorization: basicAuthorization(context.clientId, context.clientSecret),
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
        ...extraHeaders,
      },
      body: form.toString(),
      timeoutMs: context.timeoutMs,
      signal,
    });
    let failure: FortnoxError;
    if (outcome.type === 'response') {
      const body = parseJsonText(outcome.bodyText);
      if (outcome.status >= 200 && outcome.status < 300) return ok(body);
      const oauth = OAuthErrorSchema.safeParse(body);
      if (oauth.success && outcome.status < 500) {
        return err(oauthError(outcome.status, oauth.data.error, request));
      }
      failure = new FortnoxAuthError({
        reason: 'token-endpoint',
        reconnectRequired: false,
        retryable: outcome.status === 429 || outcome.status >= 500,
        status: outcome.status,
        request,
        message: `Fortnox's OAuth server answered ${outcome.status} to POST ${path}.`,
      });
    } else {
      failure = outcomeToTransportError(outcome, request, context.timeoutMs);
    }
    if (!failure.retryable || attempt >= context.retry.maxAttempts) return err(failure);
    try {
      await sleep(
        context.clock,
        computeBackoffDelay(attempt, context.retry, context.random),
        signal,
      );
    } catch (cause) {
      return err(createAbortedError(request, cause));
    }
  }
}

/** Requests tokens from `/oauth-v1/token` and parses the answer. */
export async function requestTokens(
  context: TokenEndpointContext,
  form: URLSearchParams,
  extraHeaders: Readonly<Record<string, string>>,
  signal: AbortSignal | undefined,
): Promise<Result<IssuedTokens, FortnoxError>> {
  const path = '/oauth-v1/token';
  const answer = await postOAuthForm(context, path, form, extraHeaders, signal);
  if (answer.isErr()) return err(answer.error);
  const parsed = TokenResponseSchema.safeParse(answer.value);
  if (!parsed.success) {
    return err(
      new FortnoxInvalidResponseError({
        status: 200,
        issues: toValidationIssues(parsed.error),
        retryable: false,
        request: { method: 'POST', path },
        message: 'Fortnox answered the token request with a body that is not a token response.',
      }),
    );
  }
  const { access_token, refresh_token, expires_in, scope } = parsed.data;
  const tenantId = decodeAccessTokenClaims(access_token).tenantId;
  return ok({
    accessToken: access_token,
    refreshToken: refresh_token,
    expiresAt: context.now() + (expires_in ?? DEFAULT_TOKEN_LIFETIME_SECONDS) * 1000,
    ...(scope === undefined ? {} : { scope }),
    ...(tenantId === undefined ? {} : { tenantId }),
  });
}
