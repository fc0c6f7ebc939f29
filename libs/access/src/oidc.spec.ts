import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { AppError, AppErrorCode } from '@baton/errors';
import { claimAt, looksLikeJwt, oidcPrincipalId, OidcVerifier, rolesFrom } from './oidc.js';

interface Site {
  url: string;
  hits: string[];
  server: Server;
}

const sites: Site[] = [];

/** A local HTTP server answering JSON by path (404 elsewhere), recording each path asked for. */
async function site(routes: (url: string) => Record<string, unknown>): Promise<Site> {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    hits.push(path);
    const body = routes(url)[path];
    response.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const made = { url, hits, server };
  sites.push(made);
  return made;
}

afterEach(async () => {
  for (const { server } of sites.splice(0))
    await new Promise<void>((resolve) => server.close(() => resolve()));
});

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig' }] };

function token(issuer: string, claims: Record<string, unknown> = { roles: ['pmo'] }): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(issuer)
    .setSubject('alice')
    .setExpirationTime('5m')
    .sign(privateKey);
}

const options = (issuer: string) => ({
  issuer,
  jwksUrl: null,
  audience: null,
  rolesClaim: 'roles',
  clockSkewSeconds: 30,
});

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('OIDC principal ids', () => {
  it('are UUID v5, stable for an issuer and subject, and distinct otherwise', () => {
    const id = oidcPrincipalId('https://idp.example', 'alice');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Pinned (Python: uuid5(namespace, '["https://idp.example","alice"]')): a change would give every OIDC
    // principal a new id and orphan its audit trail.
    expect(id).toBe('f373c132-c24d-5e64-a1a9-01a0e749daa9');
    expect(oidcPrincipalId('https://idp.example', 'bob')).not.toBe(id);
    expect(oidcPrincipalId('https://other.example', 'alice')).not.toBe(id);
  });
});

describe('claims', () => {
  it('reads a claim named with dots first, else follows the dotted path', () => {
    const payload = { 'https://baton/roles': ['smo'], realm_access: { roles: ['pmo'] }, roles: 'x' };
    expect(claimAt(payload, 'https://baton/roles')).toEqual(['smo']);
    expect(claimAt(payload, 'realm_access.roles')).toEqual(['pmo']);
    expect(claimAt(payload, 'realm_access.missing')).toBeUndefined();
    expect(claimAt(payload, 'roles.length')).toBeUndefined();
  });

  it('takes roles from an array or a space-separated string, only Baton role names, once each', () => {
    expect(rolesFrom(['pmo', 'smo', 'pmo', 42, 'Not A Role', 'change_manager'])).toEqual([
      'pmo',
      'smo',
      'change_manager',
    ]);
    expect(rolesFrom(' pmo  smo ')).toEqual(['pmo', 'smo']);
    expect(rolesFrom({ pmo: true })).toEqual([]);
    expect(rolesFrom(undefined)).toEqual([]);
  });

  it("tells JWTs from Baton's own tokens", async () => {
    expect(looksLikeJwt(await token('https://idp.example'))).toBe(true);
    expect(looksLikeJwt('bat_abcdefghijklmnopqrstuvwxyz0123456789')).toBe(false);
    expect(looksLikeJwt('some.dotted.token')).toBe(false);
  });
});

describe('discovery', () => {
  it('uses the jwks_uri of the discovery document on the issuer', async () => {
    const idp = await site((url) => ({
      '/.well-known/openid-configuration': { issuer: url, jwks_uri: `${url}/keys` },
      '/keys': jwks,
    }));
    const verifier = new OidcVerifier(options(idp.url));
    const identity = await verifier.verify(await token(idp.url));
    expect(identity).toMatchObject({ issuer: idp.url, subject: 'alice', roles: ['pmo'] });
    await verifier.verify(await token(idp.url));
    expect(idp.hits).toEqual(['/.well-known/openid-configuration', '/keys']);
  });

  it('refuses a jwks_uri on another origin, and fetches nothing from it', async () => {
    const elsewhere = await site(() => ({ '/keys': jwks }));
    const idp = await site((url) => ({
      '/.well-known/openid-configuration': { issuer: url, jwks_uri: `${elsewhere.url}/keys` },
    }));
    const error = await refusal(new OidcVerifier(options(idp.url)).verify(await token(idp.url)));
    expect(error.code).toBe(AppErrorCode.Unavailable);
    expect(error.message).toMatch(/not on the issuer's origin/);
    expect(elsewhere.hits).toEqual([]);
  });

  it('refuses a discovery document that names another issuer', async () => {
    const idp = await site((url) => ({
      '/.well-known/openid-configuration': { issuer: 'https://evil.example', jwks_uri: `${url}/keys` },
      '/keys': jwks,
    }));
    const error = await refusal(new OidcVerifier(options(idp.url)).verify(await token(idp.url)));
    expect(error.code).toBe(AppErrorCode.Unavailable);
    expect(idp.hits).not.toContain('/keys');
  });

  it('does not ask a failing issuer again for every request', async () => {
    const idp = await site(() => ({}));
    const verifier = new OidcVerifier(options(idp.url));
    for (let i = 0; i < 3; i++)
      expect((await refusal(verifier.verify(await token(idp.url)))).code).toBe(AppErrorCode.Unavailable);
    expect(idp.hits).toEqual(['/.well-known/openid-configuration']);
  });
});
