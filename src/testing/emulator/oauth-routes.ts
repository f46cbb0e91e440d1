import { renderConsentPage } from './consent-page.js';
import { notFoundResponse } from './customer-routes.js';
import type { ResolvedFortnoxEmulatorOptions } from './options.js';
import { DEFAULT_SCOPES } from './options.js';
import { invalidClientResponse, jsonResponse, oauthErrorResponse } from './responses.js';
import type { Grant, TokenStore } from './token-store.js';

/** What the OAuth routes need from the emulator. */
export type OAuthRouteContext = {
  readonly options: ResolvedFortnoxEmulatorOptions;
  readonly tokens: TokenStore;
  /** True when the tenant exists in this emulator. */
  readonly hasTenant: (tenantId: string) => boolean;
};

function clientOf(context: OAuthRouteContext, request: Request): string | undefined {
  const header = request.headers.get('Authorization') ?? '';
  const match = /^Basic\s+(.+)$/i.exec(header.trim());
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const clientId = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  const client = context.options.oauth.clients.find((candidate) => candidate.clientId === clientId);
  return colon > 0 && client?.clientSecret === secret ? clientId : undefined;
}

function redirect(target: URL): Response {
  return new Response(null, { status: 302, headers: { Location: target.toString() } });
}

function badAuthorizeRequest(description: string): Response {
  return new Response(`<html><body><h1>Felaktig begäran</h1><p>${description}</p></body></html>`, {
    status: 400,
    headers: { 'Content-Type': 'text/html' },
  });
}

/** `GET /oauth-v1/auth` and, for the consent page, `POST /oauth-v1/auth`. */
async function authorize(context: OAuthRouteContext, request: Request): Promise<Response> {
  const isPost = request.method.toUpperCase() === 'POST';
  const params = isPost
    ? new URLSearchParams(await request.text())
    : new URL(request.url).searchParams;
  const clientId = params.get('client_id') ?? '';
  const client = context.options.oauth.clients.find((candidate) => candidate.clientId === clientId);
  if (client === undefined) return badAuthorizeRequest('Auth code or ClientID supplied is invalid');
  if (params.get('response_type') !== 'code')
    return badAuthorizeRequest('response_type must be code');
  const redirectUri = params.get('redirect_uri');
  let target: URL;
  try {
    target = new URL(redirectUri ?? '');
  } catch {
    return badAuthorizeRequest('redirect_uri is missing or not a URL');
  }
  const allowed = client.redirectUris ?? [];
  if (
    allowed.length > 0 &&
    !allowed.includes(target.toString()) &&
    !allowed.includes(redirectUri ?? '')
  ) {
    return badAuthorizeRequest('redirect_uri is not registered for this client');
  }
  const tenantId = params.get('tenant') ?? context.options.defaultTenantId;
  if (context.options.oauth.consent === 'page' && !isPost) {
    return new Response(renderConsentPage(params, tenantId), {
      headers: { 'Content-Type': 'text/html; charset=utf-8' },
    });
  }
  const state = params.get('state');
  if (state !== null) target.searchParams.set('state', state);
  if (isPost && params.get('decision') !== 'approve') {
    target.searchParams.set('error', 'access_denied');
    return redirect(target);
  }
  const scopeText = params.get('scope')?.trim() ?? '';
  const scopes = scopeText === '' ? DEFAULT_SCOPES : scopeText.split(/\s+/);
  const code = context.tokens.issueCode({ tenantId, clientId, scopes }, redirectUri ?? undefined);
  target.searchParams.set('code', code);
  return redirect(target);
}

function tokenBody(context: OAuthRouteContext, grant: Grant, withRefresh: boolean): Response {
  const issued = context.tokens.issueAccessToken(grant);
  return jsonResponse({
    access_token: issued.accessToken,
    ...(withRefresh ? { refresh_token: context.tokens.issueRefreshToken(grant) } : {}),
    scope: grant.scopes.join(' '),
    expires_in: issued.expiresIn,
    token_type: 'bearer',
  });
}

/** `POST /oauth-v1/token`: authorization_code, refresh_token and client_credentials grants. */
async function token(context: OAuthRouteContext, request: Request): Promise<Response> {
  const clientId = clientOf(context, request);
  if (clientId === undefined) return invalidClientResponse();
  const form = new URLSearchParams(await request.text());
  switch (form.get('grant_type')) {
    case 'authorization_code': {
      const grant = context.tokens.consumeCode(
        form.get('code') ?? '',
        clientId,
        form.get('redirect_uri') ?? undefined,
      );
      return grant === undefined
        ? oauthErrorResponse(400, 'invalid_grant', 'Invalid authorization code')
        : tokenBody(context, grant, true);
    }
    case 'refresh_token': {
      const grant = context.tokens.consumeRefreshToken(form.get('refresh_token') ?? '', clientId);
      // Recorded from the real service: a JSON body labelled text/html.
      return grant === undefined
        ? oauthErrorResponse(400, 'invalid_grant', 'Invalid refresh token', 'text/html')
        : tokenBody(context, grant, true);
    }
    case 'client_credentials': {
      const tenantId = request.headers.get('TenantId')?.trim() ?? '';
      if (!context.hasTenant(tenantId)) {
        return oauthErrorResponse(400, 'invalid_request', 'Missing or unknown TenantId');
      }
      const scope = form.get('scope')?.trim();
      const scopes = scope === undefined || scope === '' ? DEFAULT_SCOPES : scope.split(/\s+/);
      return tokenBody(context, { tenantId, clientId, scopes }, false);
    }
    default:
      return oauthErrorResponse(400, 'unsupported_grant_type', 'Unsupported grant type');
  }
}

/** `POST /oauth-v1/revoke`: revokes a refresh or access token; unknown tokens succeed silently. */
async function revoke(context: OAuthRouteContext, request: Request): Promise<Response> {
  // Recorded at the token endpoint; the revoke endpoint is assumed to answer alike (UNVERIFIED).
  if (clientOf(context, request) === undefined) return invalidClientResponse();
  const form = new URLSearchParams(await request.text());
  context.tokens.revoke(form.get('token') ?? '');
  return new Response(null, { status: 200 });
}

/** Routes `/oauth-v1/...`. */
export function handleOAuthRoute(context: OAuthRouteContext, request: Request, path: string) {
  const method = request.method.toUpperCase();
  if (path === '/oauth-v1/auth' && (method === 'GET' || method === 'POST')) {
    return authorize(context, request);
  }
  if (path === '/oauth-v1/token' && method === 'POST') return token(context, request);
  if (path === '/oauth-v1/revoke' && method === 'POST') return revoke(context, request);
  return Promise.resolve(notFoundResponse());
}
