const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** A minimal consent page: the authorization request's parameters, a tenant field and two buttons. */
export function renderConsentPage(params: URLSearchParams, tenantId: string): string {
  const hidden = [...params.entries()]
    .filter(([name]) => name !== 'tenant')
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
    )
    .join('\n      ');
  const scopes = escapeHtml(params.get('scope') ?? '');
  return `<!doctype html>
<html lang="sv">
  <head><meta charset="utf-8"><title>Fortnox emulator – godkänn integration</title></head>
  <body>
    <h1>Godkänn integration</h1>
    <p>Klient <code>${escapeHtml(params.get('client_id') ?? '')}</code> begär behörighet: <code>${scopes}</code></p>
    <form method="post" action="/oauth-v1/auth">
      ${hidden}
      <label>Företag (tenant id) <input name="tenant" value="${escapeHtml(tenantId)}"></label>
      <button type="submit" name="decision" value="approve">Godkänn</button>
      <button type="submit" name="decision" value="deny">Neka</button>
    </form>
  </body>
</html>`;
}
