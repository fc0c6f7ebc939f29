import { generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type JWTPayload, SignJWT, UnsecuredJWT } from 'jose';
import { oidcPrincipalId } from '@baton/access';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import { createPrincipal, unique } from '../support/fixtures.js';
import { ApiClient, type ApiResponse } from '../support/http-client.js';
import { scratchDatabase } from '../support/scratch-database.js';

const ADMIN_PRINCIPAL_ID = '00000000-0000-4000-8000-000000000001';
const UNKNOWN_ID = '8a0c6f8e-2d5c-4a47-9a39-9f3b0f0b1c2d';
const AUDIENCE = 'baton-api';

/** An identity provider of the test's own: a discovery document and a JWKS, each request counted by path. */
interface IdentityProvider {
  issuer: string;
  hits: Map<string, number>;
  close(): Promise<void>;
}

async function startIdentityProvider(
  keys: { key: KeyObject; kid: string }[],
  discovery: boolean,
): Promise<IdentityProvider> {
  const hits = new Map<string, number>();
  let issuer = '';
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    // The keys carry no `alg`: only Baton's list of algorithms keeps RS512 or PS256 out.
    const bodies: Record<string, unknown> = {
      '/jwks': { keys: keys.map(({ key, kid }) => ({ ...key.export({ format: 'jwk' }), kid, use: 'sig' })) },
      ...(discovery ? { '/.well-known/openid-configuration': { issuer, jwks_uri: `${issuer}/jwks` } } : {}),
    };
    const body = bodies[path];
    response.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body ?? { error: 'not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaKey = rsa();
const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const strangerKey = rsa();

interface TokenOptions {
  issuer?: string;
  subject?: string | null;
  audience?: string | null;
  expiresIn?: number | null;
  notBefore?: number;
  alg?: string;
  kid?: string;
  key?: KeyObject;
}

let idp: IdentityProvider;
let nestedIdp: IdentityProvider;

/** A JWT of the test's identity provider: RS256 by its key, for AUDIENCE, five minutes, unless told otherwise. */
function jwt(claims: JWTPayload, options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const token = new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: options.kid ?? 'rsa-1' })
    .setIssuer(options.issuer ?? idp.issuer)
    .setIssuedAt(now - 60);
  if (options.subject !== null) token.setSubject(options.subject ?? 'alice');
  if (options.audience !== null) token.setAudience(options.audience ?? AUDIENCE);
  if (options.expiresIn !== null) token.setExpirationTime(now + (options.expiresIn ?? 300));
  if (options.notBefore !== undefined) token.setNotBefore(now + options.notBefore);
  return token.sign(options.key ?? rsaKey.privateKey);
}

const expectProblem = (response: ApiResponse, status: number, code?: string): void => {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, type: expect.any(String), detail: expect.any(String) });
  if (code) expect(response.body.code).toBe(code);
};

const newProject = { name: 'Federated', methodology: 'agile' };

let baton: BatonProcess;
let nested: BatonProcess;
let admin: ApiClient;
let drops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  [idp, nestedIdp] = await Promise.all([
    startIdentityProvider(
      [
        { key: rsaKey.publicKey, kid: 'rsa-1' },
        { key: ecKey.publicKey, kid: 'ec-1' },
      ],
      true,
    ),
    // No discovery document: BATON_OIDC_JWKS_URL names the keys directly.
    startIdentityProvider([{ key: rsaKey.publicKey, kid: 'rsa-1' }], false),
  ]);
  const [first, second] = await Promise.all([scratchDatabase(), scratchDatabase()]);
  drops = [first.drop, second.drop];
  [baton, nested] = await Promise.all([
    startBaton({
      env: { DATABASE_URL: first.url, BATON_OIDC_ISSUER: idp.issuer, BATON_OIDC_AUDIENCE: AUDIENCE },
    }),
    startBaton({
      env: {
        DATABASE_URL: second.url,
        BATON_OIDC_ISSUER: nestedIdp.issuer,
        BATON_OIDC_JWKS_URL: `${nestedIdp.issuer}/jwks`,
        BATON_OIDC_ROLES_CLAIM: 'realm_access.roles',
      },
    }),
  ]);
  admin = new ApiClient(baton.url, baton.adminToken);
});

afterAll(async () => {
  await Promise.all([baton?.stop(), nested?.stop()]);
  await Promise.all([idp?.close(), nestedIdp?.close(), ...drops.map((drop) => drop())]);
});

describe('revocation', () => {
  it('answers 401 to the token of a revoked principal right after DELETE, and keeps it revoked', async () => {
    const { id, client } = await createPrincipal(admin, unique('pmo'), ['pmo']);
    expect((await client.get('/v1/principals/me')).status).toBe(200);

    const revoked = await admin.request('DELETE', `/v1/principals/${id}`);
    expect(revoked.status).toBe(204);
    expectProblem(await client.get('/v1/principals/me'), 401);
    expectProblem(await client.post('/v1/projects', { ...newProject, key: unique('P') }), 401);

    const shown = await admin.get(`/v1/principals/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ id, revoked: true });
    expect(Math.abs(Date.parse(shown.body.revokedAt) - Date.now())).toBeLessThan(60_000);
    expect(JSON.stringify(shown.body)).not.toContain(client.token);

    // Revoking again is no error and keeps the first time.
    expect((await admin.request('DELETE', `/v1/principals/${id}`)).status).toBe(204);
    expect((await admin.get(`/v1/principals/${id}`)).body.revokedAt).toBe(shown.body.revokedAt);
  });

  it('gives a revoked principal no new token (409)', async () => {
    const { id, client } = await createPrincipal(admin, unique('pmo'), ['pmo']);
    await admin.request('DELETE', `/v1/principals/${id}`);
    expectProblem(await admin.post(`/v1/principals/${id}/token`), 409, 'PRINCIPAL.REVOKED');
    expectProblem(await client.get('/v1/principals/me'), 401);
  });

  it('never revokes the bootstrap admin, so nobody locks themselves out (409)', async () => {
    const refused = await admin.request('DELETE', `/v1/principals/${ADMIN_PRINCIPAL_ID}`);
    expectProblem(refused, 409, 'PRINCIPAL.PROTECTED');
    expect(refused.body.detail).toMatch(/bootstrap admin/);
    expect((await admin.get('/v1/principals/me')).body.id).toBe(ADMIN_PRINCIPAL_ID);
    expect((await admin.get(`/v1/principals/${ADMIN_PRINCIPAL_ID}`)).body.revoked).toBe(false);
  });
});

describe('rotation', () => {
  it('issues a new token to an admin asking; the old one answers 401 at once', async () => {
    const { id, client: old } = await createPrincipal(admin, unique('smo'), ['smo']);
    const rotated = await admin.post(`/v1/principals/${id}/token`);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ id, roles: ['smo'], revoked: false });
    expect(rotated.body.token).toMatch(/^bat_/);
    expect(rotated.body.token).not.toBe(old.token);

    expectProblem(await old.get('/v1/principals/me'), 401);
    const fresh = old.as(rotated.body.token);
    const me = await fresh.get('/v1/principals/me');
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(id);

    const listed = await admin.get('/v1/principals?limit=500');
    expect(JSON.stringify(listed.body)).not.toContain(rotated.body.token);
    expect(JSON.stringify(await admin.get(`/v1/principals/${id}`))).not.toContain(rotated.body.token);
  });

  it('lets a principal rotate its own token and read itself', async () => {
    const { id, client } = await createPrincipal(admin, unique('pmo'), ['pmo']);
    expect((await client.get(`/v1/principals/${id}`)).body).toMatchObject({ id, roles: ['pmo'] });
    const rotated = await client.post(`/v1/principals/${id}/token`);
    expect(rotated.status).toBe(200);
    expectProblem(await client.get('/v1/principals/me'), 401);
    expect((await client.as(rotated.body.token).get('/v1/principals/me')).body.id).toBe(id);
  });

  it('refuses a body with unknown fields (400)', async () => {
    const { id, client } = await createPrincipal(admin, unique('pmo'), ['pmo']);
    const refused = await admin.post(`/v1/principals/${id}/token`, { token: 'mine' });
    expectProblem(refused, 400);
    expect(refused.body.errors).toEqual([{ path: 'token', message: 'unknown field' }]);
    expect((await client.get('/v1/principals/me')).status).toBe(200);
  });
});

describe('permissions', () => {
  it('lets a pmo neither revoke, rotate nor read someone else (403), and changes nothing', async () => {
    const [pmo, other] = await Promise.all([
      createPrincipal(admin, unique('pmo'), ['pmo']),
      createPrincipal(admin, unique('smo'), ['smo']),
    ]);
    expectProblem(await pmo.client.request('DELETE', `/v1/principals/${other.id}`), 403);
    expectProblem(await pmo.client.post(`/v1/principals/${other.id}/token`), 403);
    expectProblem(await pmo.client.get(`/v1/principals/${other.id}`), 403);
    // Not even itself: revocation is for the admin.
    expectProblem(await pmo.client.request('DELETE', `/v1/principals/${pmo.id}`), 403);
    // An id that names nothing is 403 too: a non-admin learns nothing about which ids exist.
    expectProblem(await pmo.client.get(`/v1/principals/${UNKNOWN_ID}`), 403);
    expect((await other.client.get('/v1/principals/me')).status).toBe(200);
    expect((await pmo.client.get('/v1/principals/me')).status).toBe(200);
  });

  it('answers 401 without a token', async () => {
    const anonymous = admin.as(null);
    expectProblem(await anonymous.request('DELETE', `/v1/principals/${UNKNOWN_ID}`), 401);
    expectProblem(await anonymous.post(`/v1/principals/${UNKNOWN_ID}/token`), 401);
  });
});

describe('bad ids', () => {
  it('answers 400 to an id that is not a UUID and 404 to one that names nothing', async () => {
    expectProblem(await admin.request('DELETE', '/v1/principals/not-a-uuid'), 400);
    expectProblem(await admin.post('/v1/principals/not-a-uuid/token'), 400);
    expectProblem(await admin.get('/v1/principals/not-a-uuid'), 400);
    expectProblem(await admin.request('DELETE', `/v1/principals/${UNKNOWN_ID}`), 404);
    expectProblem(await admin.post(`/v1/principals/${UNKNOWN_ID}/token`), 404);
    expectProblem(await admin.get(`/v1/principals/${UNKNOWN_ID}`), 404);
  });
});

describe('OpenAPI', () => {
  it('describes the new operations', async () => {
    const { paths } = (await admin.as(null).get('/docs-json')).body;
    expect(Object.keys(paths['/v1/principals/{id}'] ?? {}).sort()).toEqual(['delete', 'get']);
    expect(Object.keys(paths['/v1/principals/{id}/token'] ?? {})).toEqual(['post']);
  });
});

describe('OIDC bearer JWTs', () => {
  const as = async (claims: JWTPayload, options?: TokenOptions): Promise<ApiClient> =>
    admin.as(await jwt(claims, options));

  it('admits a JWT with roles [pmo]: it creates a project and is its own principal', async () => {
    const alice = await as({ roles: ['pmo'], name: 'Alice A', email: 'alice@example.org' });
    const created = await alice.post('/v1/projects', { ...newProject, key: unique('OIDC') });
    expect(created.status).toBe(201);

    const me = await alice.get('/v1/principals/me');
    expect(me.status).toBe(200);
    const id = oidcPrincipalId(idp.issuer, 'alice');
    expect(me.body).toEqual({
      id,
      name: 'Alice A',
      roles: ['pmo'],
      email: 'alice@example.org',
      delegatedRoles: [],
    });

    const row = await admin.get(`/v1/principals/${id}`);
    expect(row.body).toMatchObject({ id, oidc: { issuer: idp.issuer, subject: 'alice' }, revoked: false });
    // The same person later: the same principal, not a second one.
    expect((await (await as({ roles: ['pmo'] })).get('/v1/principals/me')).body.id).toBe(id);
    expect((await admin.get(`/v1/principals/${id}`)).body.createdAt).toBe(row.body.createdAt);
  });

  it('takes roles from each new token, so a change at the provider counts at the next request', async () => {
    const before = await as({ roles: ['pmo'] }, { subject: 'bob' });
    expect((await before.post('/v1/projects', { ...newProject, key: unique('OIDC') })).status).toBe(201);
    const after = await as({ roles: 'smo change_manager' }, { subject: 'bob' });
    expect((await after.get('/v1/principals/me')).body.roles).toEqual(['smo', 'change_manager']);
    expectProblem(await after.post('/v1/projects', { ...newProject, key: unique('OIDC') }), 403);
    const id = oidcPrincipalId(idp.issuer, 'bob');
    expect((await admin.get(`/v1/principals/${id}`)).body.roles).toEqual(['smo', 'change_manager']);
  });

  it('accepts ES256 as well as RS256', async () => {
    const client = await as({ roles: ['smo'] }, { alg: 'ES256', kid: 'ec-1', key: ecKey.privateKey });
    expect((await client.get('/v1/principals/me')).status).toBe(200);
  });

  it('refuses an expired JWT, and one not valid yet, beyond a small clock skew', async () => {
    expectProblem(await (await as({ roles: ['pmo'] }, { expiresIn: -600 })).get('/v1/principals/me'), 401);
    expectProblem(await (await as({ roles: ['pmo'] }, { notBefore: 600 })).get('/v1/principals/me'), 401);
    // Ten seconds late is within the tolerated skew.
    expect((await (await as({ roles: ['pmo'] }, { expiresIn: -10 })).get('/v1/principals/me')).status).toBe(
      200,
    );
  });

  it('refuses a JWT without exp', async () => {
    expectProblem(await (await as({ roles: ['pmo'] }, { expiresIn: null })).get('/v1/principals/me'), 401);
  });

  it('refuses a JWT without sub', async () => {
    expectProblem(await (await as({ roles: ['pmo'] }, { subject: null })).get('/v1/principals/me'), 401);
  });

  it('refuses a JWT of another issuer, even signed with the right key', async () => {
    const client = await as({ roles: ['pmo'] }, { issuer: 'http://127.0.0.1:1/evil' });
    expectProblem(await client.get('/v1/principals/me'), 401);
  });

  it('refuses a JWT for another audience, or for none', async () => {
    expectProblem(
      await (await as({ roles: ['pmo'] }, { audience: 'other-app' })).get('/v1/principals/me'),
      401,
    );
    expectProblem(await (await as({ roles: ['pmo'] }, { audience: null })).get('/v1/principals/me'), 401);
  });

  it('refuses a JWT whose payload was changed after signing', async () => {
    const [header, , signature] = (await jwt({ roles: ['pmo'] })).split('.');
    const payload = Buffer.from(
      JSON.stringify({
        iss: idp.issuer,
        sub: 'alice',
        aud: AUDIENCE,
        roles: ['admin'],
        exp: Math.floor(Date.now() / 1000) + 300,
      }),
    ).toString('base64url');
    expectProblem(await admin.as(`${header}.${payload}.${signature}`).get('/v1/principals/me'), 401);
  });

  it('refuses a JWT signed by another key, under a known kid or an unknown one', async () => {
    const known = await as({ roles: ['admin'] }, { key: strangerKey.privateKey, kid: 'rsa-1' });
    expectProblem(await known.get('/v1/principals'), 401);
    const unknown = await as({ roles: ['admin'] }, { key: strangerKey.privateKey, kid: 'stranger' });
    expectProblem(await unknown.get('/v1/principals'), 401);
  });

  it('refuses alg none, and algorithms other than RS256 and ES256 even with the right key', async () => {
    const unsigned = new UnsecuredJWT({ roles: ['admin'] })
      .setIssuer(idp.issuer)
      .setSubject('alice')
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .encode();
    expectProblem(await admin.as(unsigned).get('/v1/principals'), 401);
    const rs512 = await as({ roles: ['pmo'] }, { alg: 'RS512' });
    expectProblem(await rs512.get('/v1/principals/me'), 401);
  });

  it('answers 403 to a valid JWT that names no Baton role', async () => {
    const client = await as({ roles: [] }, { subject: 'nobody' });
    expectProblem(await client.get('/v1/principals/me'), 403);
    expectProblem(await admin.get(`/v1/principals/${oidcPrincipalId(idp.issuer, 'nobody')}`), 404);
  });

  it('keeps an e-mail address only when the provider has not said it is unverified', async () => {
    const client = await as(
      { roles: ['pmo'], email: 'carol@example.org', email_verified: false },
      { subject: 'carol' },
    );
    expect((await client.get('/v1/principals/me')).body.email).toBeNull();
  });

  it('shuts a revoked OIDC principal out, valid JWT or not, and gives it no Baton token', async () => {
    const dave = await as({ roles: ['pmo'] }, { subject: 'dave' });
    const id = (await dave.get('/v1/principals/me')).body.id;
    expectProblem(await admin.post(`/v1/principals/${id}/token`), 409, 'PRINCIPAL.USES_OIDC');
    expect((await admin.request('DELETE', `/v1/principals/${id}`)).status).toBe(204);
    expectProblem(await dave.get('/v1/principals/me'), 401);
    expectProblem(await (await as({ roles: ['admin'] }, { subject: 'dave' })).get('/v1/principals/me'), 401);
  });

  it('fetches the discovery document and the keys once, not per request', async () => {
    await (await as({ roles: ['pmo'] })).get('/v1/principals/me');
    const before = idp.hits.get('/jwks');
    for (let i = 0; i < 5; i++)
      expect((await (await as({ roles: ['pmo'] })).get('/v1/principals/me')).status).toBe(200);
    expect(idp.hits.get('/jwks')).toBe(before);
    expect(idp.hits.get('/.well-known/openid-configuration')).toBe(1);
  });

  it("still takes Baton's own tokens", async () => {
    expect((await admin.get('/v1/principals/me')).body.id).toBe(ADMIN_PRINCIPAL_ID);
  });
});

describe('OIDC with a nested roles claim and a JWKS URL', () => {
  const token = (claims: JWTPayload, subject = `user-${randomUUID()}`) =>
    jwt(claims, { issuer: nestedIdp.issuer, audience: null, subject });

  it('reads roles from realm_access.roles', async () => {
    const client = new ApiClient(
      nested.url,
      await token({ realm_access: { roles: ['pmo', 'offline_access'] } }),
    );
    expect((await client.post('/v1/projects', { ...newProject, key: unique('KC') })).status).toBe(201);
    expect((await client.get('/v1/principals/me')).body.roles).toEqual(['pmo', 'offline_access']);
  });

  it('ignores roles outside the configured claim', async () => {
    const client = new ApiClient(nested.url, await token({ roles: ['pmo'], realm_access: {} }));
    expectProblem(await client.get('/v1/principals/me'), 403);
  });

  it('uses BATON_OIDC_JWKS_URL without asking for a discovery document', async () => {
    const client = new ApiClient(nested.url, await token({ realm_access: { roles: ['smo'] } }));
    expect((await client.get('/v1/principals/me')).status).toBe(200);
    expect(nestedIdp.hits.get('/.well-known/openid-configuration')).toBeUndefined();
    expect(nestedIdp.hits.get('/jwks')).toBeGreaterThanOrEqual(1);
  });
});

describe('principals kept in memory across processes', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let first: BatonProcess;
  let second: BatonProcess;
  const ADMIN = 'principal-cache-admin-token-0123456789';

  beforeAll(async () => {
    scratch = await scratchDatabase();
    const env = { DATABASE_URL: scratch.url, BATON_ADMIN_TOKEN: ADMIN };
    first = await startBaton({ app: 'api', env });
    second = await startBaton({ app: 'api', env });
  });

  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await scratch?.drop();
  });

  async function lookups(baton: BatonProcess): Promise<Record<string, number>> {
    const text = (await new ApiClient(baton.url, ADMIN).get('/metrics')).body as string;
    const counts: Record<string, number> = {};
    for (const match of text.matchAll(/^baton_token_lookups_total\{outcome="(\w+)"\} (\d+)/gm))
      counts[match[1]] = Number(match[2]);
    return counts;
  }

  it('reads a principal once, then answers from memory; a revocation through another process ends that at once', async () => {
    const admin = new ApiClient(first.url, ADMIN);
    const made = await createPrincipal(admin, unique('kept'), ['pmo']);
    const there = made.client.at(second.url);
    expect((await there.get('/v1/glossary')).status).toBe(200);
    const before = await lookups(second);
    for (let i = 0; i < 10; i += 1) expect((await there.get('/v1/glossary')).status).toBe(200);
    const after = await lookups(second);
    expect((after.cached ?? 0) - (before.cached ?? 0)).toBeGreaterThanOrEqual(10);
    expect((after.found ?? 0) - (before.found ?? 0)).toBeLessThanOrEqual(1); // the admin's /metrics, at most

    // Revoked through the first process: the second hears of it from the database.
    expect((await admin.request('DELETE', `/v1/principals/${made.id}`)).status).toBe(204);
    const revokedAt = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < 5000) status = (await there.get('/v1/glossary')).status;
    const took = Date.now() - revokedAt;
    console.info(`the other process refused the revoked token ${took} ms after the revocation returned`);
    expect(status).toBe(401);
    expect(took).toBeLessThan(1000);

    // Rotated through the first process: the old token stops at once in both.
    const rotated = await createPrincipal(admin, unique('rotated'), ['pmo']);
    expect((await rotated.client.at(second.url).get('/v1/glossary')).status).toBe(200);
    const fresh = await admin.post(`/v1/principals/${rotated.id}/token`);
    expect(fresh.status).toBe(200);
    let old = 200;
    const rotatedAt = Date.now();
    while (old === 200 && Date.now() - rotatedAt < 5000)
      old = (await rotated.client.at(second.url).get('/v1/glossary')).status;
    console.info(
      `the other process refused the rotated token ${Date.now() - rotatedAt} ms after the rotation returned`,
    );
    expect(old).toBe(401);
    expect(Date.now() - rotatedAt).toBeLessThan(1000);
    expect((await rotated.client.as(fresh.body.token).at(second.url).get('/v1/glossary')).status).toBe(200);
  });
});
