// Sign-in with OpenID Connect in the browser: authorization code with PKCE (S256). The state and the code
// verifier wait in sessionStorage for the redirect back to /auth/callback; the code is exchanged at the
// issuer's token endpoint, and the access token (or the ID token when there is none) is the bearer token.

export interface OidcConfig {
  issuer: string;
  clientId: string;
  scopes: string[] | string;
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

const PENDING = 'baton.oidc.pending';

function base64url(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function randomString(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

export async function codeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

async function discover(issuer: string): Promise<Discovery> {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`the identity provider's discovery document answered ${response.status}`);
  return (await response.json()) as Discovery;
}

const redirectUri = () => `${window.location.origin}/auth/callback`;

export async function startOidcSignIn(config: OidcConfig, returnTo: string): Promise<void> {
  const discovery = await discover(config.issuer);
  const state = randomString();
  const verifier = randomString(48);
  sessionStorage.setItem(
    PENDING,
    JSON.stringify({
      state,
      verifier,
      returnTo,
      tokenEndpoint: discovery.token_endpoint,
      clientId: config.clientId,
    }),
  );
  const url = new URL(discovery.authorization_endpoint);
  const scopes = Array.isArray(config.scopes) ? config.scopes.join(' ') : config.scopes;
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('scope', scopes || 'openid');
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', await codeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  window.location.assign(url.toString());
}

/** Finishes the sign-in on /auth/callback: the bearer token and where to go back to. */
export async function finishOidcSignIn(query: URLSearchParams): Promise<{ token: string; returnTo: string }> {
  const pending = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  if (query.get('error'))
    throw new Error(`the identity provider refused: ${query.get('error_description') ?? query.get('error')}`);
  if (!pending) throw new Error('no sign-in was started in this tab');
  const { state, verifier, returnTo, tokenEndpoint, clientId } = JSON.parse(pending) as {
    state: string;
    verifier: string;
    returnTo: string;
    tokenEndpoint: string;
    clientId: string;
  };
  const code = query.get('code');
  if (!code || query.get('state') !== state)
    throw new Error('the sign-in answer does not match the request (state)');
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri(),
      client_id: clientId,
      code_verifier: verifier,
    }),
  });
  if (!response.ok) throw new Error(`the token endpoint answered ${response.status}`);
  const tokens = (await response.json()) as { access_token?: string; id_token?: string };
  const token = tokens.access_token ?? tokens.id_token;
  if (!token) throw new Error('the identity provider sent no token');
  return { token, returnTo: returnTo || '/' };
}
