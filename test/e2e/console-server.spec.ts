// What the api serves besides its API for the console: the built console at / (from BATON_CONSOLE_DIR here,
// written by the test), its caching, compression and CSP, the page saying it is not built, the sign-in
// settings, and bull-board at /admin/queues behind the admin role (token or session cookie).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import { createPrincipal, unique } from '../support/fixtures.js';
import { sleep } from '../support/handover-flow.js';
import { ApiClient } from '../support/http-client.js';
import { ok } from '../support/scene.js';

const ISSUER = 'https://idp.example/realms/baton';
const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self' https://idp.example; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/app-3f2a9c.js"></script></head><body></body></html>\n';
const SCRIPT = `export const app = ${JSON.stringify('x'.repeat(200))};\n`.repeat(40);
const ICON = '<svg xmlns="http://www.w3.org/2000/svg"/>\n';

let dir: string;
let baton: BatonProcess;
let admin: ApiClient;

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${baton.url}${path}`, { headers });
const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baton-console-'));
  baton = await startBaton({
    app: 'api',
    env: {
      BATON_CONSOLE_DIR: dir,
      BATON_OIDC_ISSUER: ISSUER,
      BATON_OIDC_CLIENT_ID: 'baton-console',
      BATON_TRUST_PROXY: 'true',
    },
  });
  admin = new ApiClient(baton.url, baton.adminToken);
}, 60_000);

afterAll(async () => {
  await baton?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the console at /', () => {
  it('says it is not built until it is (a page for browsers, a 503 problem for others), then serves it', async () => {
    const page = await get('/', html);
    expect(page.status).toBe(503);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(await page.text()).toContain('npm run build');
    const api = await get('/');
    expect(api.status).toBe(503);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    expect(api.headers.get('retry-after')).toBe('5');
    expect(((await api.json()) as { code: string }).code).toBe('CONSOLE.NOT_BUILT');

    // Built while Baton runs: found again within 2 s.
    await mkdir(join(dir, 'assets'));
    await Promise.all([
      writeFile(join(dir, 'index.html'), INDEX),
      writeFile(join(dir, 'assets', 'app-3f2a9c.js'), SCRIPT),
      writeFile(join(dir, 'favicon.svg'), ICON),
    ]);
    await sleep(2100);
    const built = await get('/', html);
    expect(built.status).toBe(200);
    expect(await built.text()).toBe(INDEX);
  });

  it('answers index.html at / and every browser path, no-cache, with an ETag and the console CSP', async () => {
    const index = await get('/', html);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(index.headers.get('x-frame-options')).toBe('DENY');
    const etag = index.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await get('/', { ...html, 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const deep = await get('/deliverables/5d1e6c1a-0000-4000-8000-000000000000?tab=history', html);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toBe(INDEX);
    const icon = await get('/favicon.svg', html);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(await icon.text()).toBe(ICON);
  });

  it('serves /assets/* for a year, immutable, compressed as the client takes it, 304 on its ETag', async () => {
    const path = '/assets/app-3f2a9c.js';
    const plain = await get(path);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(plain.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(plain.headers.get('vary')).toBe('accept-encoding');
    // fetch asks for gzip and br itself, and decodes: read raw bytes through a client that asks for none.
    const raw = async (encoding: string) => {
      const { request } = await import('node:http');
      return new Promise<{ encoding: string | undefined; body: Buffer; status: number }>(
        (resolve, reject) => {
          request(`${baton.url}${path}`, { headers: { 'accept-encoding': encoding } }, (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () =>
              resolve({
                encoding: response.headers['content-encoding'],
                body: Buffer.concat(chunks),
                status: response.statusCode!,
              }),
            );
          })
            .on('error', reject)
            .end();
        },
      );
    };
    const identity = await raw('identity');
    expect(identity.encoding).toBeUndefined();
    expect(identity.body.toString()).toBe(SCRIPT);
    const gzip = await raw('gzip');
    expect(gzip.encoding).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(SCRIPT);
    expect(gzip.body.length).toBeLessThan(SCRIPT.length / 4);
    // brotli is made in the background after the files are read: gzip until then.
    let br = await raw('gzip, br');
    for (let tries = 0; br.encoding !== 'br' && tries < 80; tries += 1) {
      await sleep(100);
      br = await raw('gzip, br');
    }
    expect(br.encoding).toBe('br');
    expect(brotliDecompressSync(br.body).toString()).toBe(SCRIPT);
    const notModified = await get(path, { 'if-none-match': plain.headers.get('etag')! });
    expect(notModified.status).toBe(304);
    const missing = await get('/assets/app-000000.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });

  it('leaves the API as it was: JSON 404s, its own headers, nothing compressed', async () => {
    const unknown = await get('/v1/no-such-thing', html);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect(((await unknown.json()) as { detail: string }).detail).toBe('Cannot GET /v1/no-such-thing');
    const notHtml = await get('/deliverables', { accept: 'application/json' });
    expect(notHtml.status).toBe(404);
    const health = await get('/health', html);
    expect(health.status).toBe(200);
    expect(health.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    const docs = await get('/docs', html);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-security-policy')).toContain("script-src 'self' 'unsafe-inline'");
    expect((await get('/docs-json', html)).headers.get('content-type')).toContain('application/json');
    const me = await get('/v1/me', {
      authorization: `Bearer ${baton.adminToken}`,
      'accept-encoding': 'br, gzip',
    });
    expect(me.headers.get('content-encoding')).toBeNull();
    expect(me.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it('gives the sign-in settings without a token', async () => {
    const config = await admin.as(null).get('/v1/auth/config');
    expect(config.status).toBe(200);
    expect(config.body).toEqual({
      oidc: { issuer: ISSUER, clientId: 'baton-console', scopes: ['openid', 'profile', 'email'] },
    });
  });
});

describe('bull-board at /admin/queues', () => {
  it('needs the admin: 401 without a token or session (a page for browsers), 403 for others', async () => {
    const none = await get('/admin/queues');
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    const page = await get('/admin/queues/', html);
    expect(page.status).toBe(401);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('admin page');
    const smo = await createPrincipal(admin, unique('smo'), ['smo', 'pmo']);
    expect((await get('/admin/queues/', { authorization: `Bearer ${smo.client.token}` })).status).toBe(403);
    expect((await get('/admin/queues/api/queues', { authorization: 'Bearer nope-nope-nope' })).status).toBe(
      401,
    );
    expect((await smo.client.post('/v1/admin/queues/session')).status).toBe(403);
  });

  it("shows every queue of Baton to the admin's token, with a CSP its page runs under", async () => {
    const auth = { authorization: `Bearer ${baton.adminToken}` };
    const page = await get('/admin/queues/', { ...auth, ...html });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    );
    const text = await page.text();
    expect(text).toContain('<base href="/admin/queues/"');
    expect(text).toContain('<title>Baton queues</title>');
    expect(text).not.toContain('fonts.googleapis.com'); // no third party, which the CSP would refuse anyway
    const script = /src="(static\/js\/main\.[^"]+)"/.exec(text)![1];
    const bundle = await get(`/admin/queues/${script}`, auth);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    const queues = (await (await get('/admin/queues/api/queues', auth)).json()) as {
      queues: { name: string }[];
    };
    expect(queues.queues.map((queue) => queue.name).sort()).toEqual([
      'notifications',
      'probes',
      'timers',
      'webhooks',
    ]);
  });

  it('opens a session cookie for a browser (POST /v1/admin/queues/session), which a revocation ends at once', async () => {
    const second = await createPrincipal(admin, unique('admin'), ['admin']);
    const session = await second.client.post('/v1/admin/queues/session');
    expect(session.status).toBe(204);
    const cookie = session.headers.get('set-cookie')!;
    expect(cookie).toMatch(
      /^baton_queues=[\w-]{43}; HttpOnly; SameSite=Strict; Path=\/admin\/queues; Max-Age=3600$/,
    );
    const pair = cookie.split(';')[0];
    expect((await get('/admin/queues/', { ...html, cookie: pair })).status).toBe(200);
    expect((await get('/admin/queues/api/queues', { cookie: pair })).status).toBe(200);
    expect((await get('/admin/queues/', { cookie: 'baton_queues=made-up' })).status).toBe(401);
    // Behind a proxy that says the request came over https: Secure.
    const secure = await second.client.post('/v1/admin/queues/session', undefined, {
      'x-forwarded-proto': 'https',
    });
    expect(secure.headers.get('set-cookie')).toContain('; Secure;');
    await ok(admin.request('DELETE', `/v1/principals/${second.id}`), 'revoke');
    expect((await get('/admin/queues/api/queues', { cookie: pair })).status).toBe(401);
  });
});
