import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { hasRedis, startBaton, testEnvironment, type BatonProcess } from '../support/baton-process.js';
import {
  createActors,
  createDeliverable,
  createProject,
  createService,
  type Actors,
} from '../support/fixtures.js';
import { ApiClient } from '../support/http-client.js';
import { waitFor } from '../support/handover-flow.js';
import { scratchDatabase } from '../support/scratch-database.js';
import pg from 'pg';

describe('idempotency keys', () => {
  let baton: BatonProcess;
  let actors: Actors;
  let refs: { projectId: string; serviceId: string };

  beforeAll(async () => {
    baton = await startBaton();
    actors = await createActors(new ApiClient(baton.url, baton.adminToken));
    refs = { projectId: await createProject(actors.pmo), serviceId: await createService(actors.smo) };
  });

  afterAll(async () => {
    await baton?.stop();
  });

  const body = () => ({
    ...refs,
    title: 'Idempotent',
    changeType: 'new_service',
    targetGoLive: '2030-01-01T00:00:00.000Z',
  });

  it('answers the same key and body with the first response and creates nothing more', async () => {
    const key = `create-${Date.now()}`;
    const first = await actors.pmo.post('/v1/deliverables', body(), { 'idempotency-key': key });
    const again = await actors.pmo.post('/v1/deliverables', body(), { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('etag')).toBe('"1"');
    const listed = await actors.pmo.get(`/v1/deliverables?projectId=${refs.projectId}&limit=500`);
    expect(listed.body.items.filter((item: { title: string }) => item.title === 'Idempotent')).toHaveLength(
      1,
    );
  });

  it('refuses the same key with another body (422) and keys are per principal', async () => {
    const key = `reuse-${Date.now()}`;
    expect((await actors.pmo.post('/v1/deliverables', body(), { 'idempotency-key': key })).status).toBe(201);
    const other = await actors.pmo.post(
      '/v1/deliverables',
      { ...body(), title: 'Another' },
      { 'idempotency-key': key },
    );
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toMatch(/problem\+json/);
    expect((await actors.pmo2.post('/v1/deliverables', body(), { 'idempotency-key': key })).status).toBe(201);
  });

  it('executes two concurrent requests with one key once', async () => {
    const deliverable = await createDeliverable(actors.pmo, refs);
    const key = `submit-${Date.now()}`;
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        actors.pmo.post(`/v1/deliverables/${deliverable.id}/submit`, undefined, { 'idempotency-key': key }),
      ),
    );
    expect(results.map((result) => result.status)).toEqual([200, 200, 200, 200, 200]);
    for (const result of results) expect(result.body).toEqual(results[0].body);
    const history = await actors.pmo.get(`/v1/deliverables/${deliverable.id}/history`);
    expect(history.body.items.map((event: { action: string }) => event.action)).toEqual(['create', 'submit']);
  });

  it('replays a refusal too, and refuses a malformed key', async () => {
    const deliverable = await createDeliverable(actors.pmo, refs);
    const key = `refused-${Date.now()}`;
    const first = await actors.pmo.post(`/v1/deliverables/${deliverable.id}/resubmit`, undefined, {
      'idempotency-key': key,
    });
    expect(first.status).toBe(409);
    const again = await actors.pmo.post(`/v1/deliverables/${deliverable.id}/resubmit`, undefined, {
      'idempotency-key': key,
    });
    expect(again.status).toBe(409);
    expect(again.body).toEqual(first.body);
    const bad = await actors.pmo.post(`/v1/deliverables/${deliverable.id}/submit`, undefined, {
      'idempotency-key': 'has spaces',
    });
    expect(bad.status).toBe(400);
    expect((await actors.pmo.get(`/v1/deliverables/${deliverable.id}`)).body.version).toBe(1);
  });
});

describe('limits and headers', () => {
  let baton: BatonProcess;
  let actors: Actors;

  beforeAll(async () => {
    baton = await startBaton({
      env: {
        BATON_RATE_LIMIT: '5',
        BATON_RATE_BURST: '10',
        BATON_CORS_ORIGINS: 'https://console.example.test',
      },
    });
    actors = await createActors(new ApiClient(baton.url, baton.adminToken));
  });

  afterAll(async () => {
    await baton?.stop();
  });

  it('limits each token: 429 with Retry-After past the burst, others unaffected', async () => {
    // One request first, so the token is known and has a bucket of its own: until then, a request counts against
    // its address (a bucket of its own too), and concurrent first requests could draw on both.
    expect((await actors.pmo.get('/v1/me')).status).toBe(200);
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 30 }, () => actors.pmo.get('/v1/glossary')));
    const seconds = (performance.now() - started) / 1000;
    const limited = results.filter((result) => result.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    // The burst, and what the bucket refilled (5 a second) while the requests ran on a shared machine.
    expect(results.filter((result) => result.status === 200).length).toBeLessThanOrEqual(
      10 + Math.ceil(5 * seconds),
    );
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited[0].headers.get('content-type')).toMatch(/problem\+json/);
    expect((await actors.smo.get('/v1/glossary')).status).toBe(200);
    expect((await actors.pmo.as(null).get('/health')).status).toBe(200);
  });

  it('counts a token once across api processes: the limit holds for the installation, not per process', async () => {
    if (!hasRedis())
      return console.warn('skipped: the shared count needs Redis (the queues run on PostgreSQL here)');
    const env = { ...testEnvironment(), BATON_RATE_LIMIT: '0.1', BATON_RATE_BURST: '6' };
    const [one, two] = await Promise.all([startBaton({ app: 'api', env }), startBaton({ app: 'api', env })]);
    try {
      const token = actors.pmo.token;
      const clients = [new ApiClient(one.url, token), new ApiClient(two.url, token)];
      // One request through each first, so both know the token (until then it counts against the address).
      for (const client of clients) expect((await client.get('/v1/me')).status).toBe(200);
      const answers = [];
      for (let n = 0; n < 12; n++) answers.push((await clients[n % 2].get('/v1/glossary')).status);
      // Six a burst for the installation, not six per process; one in ten seconds after.
      expect(answers.filter((status) => status === 200)).toHaveLength(6);
      expect(answers.slice(6)).toEqual([429, 429, 429, 429, 429, 429]);
    } finally {
      await Promise.all([one.stop(), two.stop()]);
    }
  });

  it('sends security headers and keeps CORS closed to origins not configured', async () => {
    const response = await fetch(`${baton.url}/health`, { headers: { origin: 'https://evil.example.test' } });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const allowed = await fetch(`${baton.url}/health`, {
      headers: { origin: 'https://console.example.test' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://console.example.test');
    const preflight = await fetch(`${baton.url}/v1/deliverables`, {
      method: 'OPTIONS',
      headers: { origin: 'https://console.example.test', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBeLessThan(300);
  });
});

describe('rate limit before authentication', () => {
  let baton: BatonProcess;
  let admin: ApiClient;
  const RATE = 5;
  const BURST = 10;

  beforeAll(async () => {
    baton = await startBaton({ env: { BATON_RATE_LIMIT: String(RATE), BATON_RATE_BURST: String(BURST) } });
    admin = new ApiClient(baton.url, baton.adminToken);
  });

  afterAll(async () => {
    await baton?.stop();
  });

  /** Token lookups by outcome, from the metrics. */
  async function lookups(): Promise<Record<string, number>> {
    const response = await admin.get('/metrics');
    if (response.status !== 200)
      throw new Error(`metrics: ${response.status} ${JSON.stringify(response.body)}`);
    const text = response.body as string;
    const counts: Record<string, number> = { found: 0, unknown: 0, unknown_cached: 0 };
    for (const match of text.matchAll(/^baton_token_lookups_total\{outcome="(\w+)"\} (\d+)/gm))
      counts[match[1]] = Number(match[2]);
    return counts;
  }

  it('limits 1,000 requests with random tokens from one address after its burst, and they never reach the database past it', async () => {
    const before = await lookups(); // the admin's token authenticates here: it has a bucket of its own
    const started = Date.now();
    const statuses: number[] = [];
    for (let sent = 0; sent < 1000; sent += 50) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, () =>
          admin.as(`bat_${randomBytes(32).toString('base64url')}`).get('/v1/glossary'),
        ),
      );
      statuses.push(...batch.map((response) => response.status));
    }
    const seconds = (Date.now() - started) / 1000;
    const counts = { 401: 0, 429: 0, other: 0 };
    for (const status of statuses) counts[status === 401 || status === 429 ? status : 'other'] += 1;
    const allowed = BURST + Math.ceil(RATE * seconds);
    console.info(
      `1,000 random tokens in ${seconds.toFixed(1)} s: ${counts[429]} answered 429, ${counts[401]} got as far as 401 (the burst and refill allow ${allowed})`,
    );
    expect(counts.other).toBe(0);
    expect(counts[401]).toBeLessThanOrEqual(allowed);
    expect(counts[429]).toBeGreaterThanOrEqual(1000 - allowed);
    const after = await lookups();
    expect(after.unknown + after.unknown_cached - before.unknown - before.unknown_cached).toBe(counts[401]);
    // A token that authenticated keeps its own bucket while its address is spent.
    expect((await admin.get('/v1/glossary')).status).toBe(200);
  });

  it('answers a token found unknown a moment ago from memory, without asking the database again', async () => {
    await new Promise((resolve) => setTimeout(resolve, (BURST / RATE) * 1000 + 200)); // the address refills
    const before = await lookups();
    const made = admin.as(`bat_${randomBytes(32).toString('base64url')}`);
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await made.get('/v1/glossary')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const after = await lookups();
    expect({
      unknown: after.unknown - before.unknown,
      cached: after.unknown_cached - before.unknown_cached,
    }).toEqual({ unknown: 1, cached: 4 });
  });
});

describe('an idempotency key whose request died', () => {
  const TIMEOUT_MS = 2000;
  // One admin token across the restart.
  const ADMIN_TOKEN = 'lease-test-admin-token-0123456789';
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let baton: BatonProcess;
  const start = () =>
    startBaton({
      env: {
        DATABASE_URL: scratch.url,
        BATON_ADMIN_TOKEN: ADMIN_TOKEN,
        BATON_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS),
      },
    });

  beforeAll(async () => {
    scratch = await scratchDatabase();
    baton = await start();
  });

  afterAll(async () => {
    await baton?.stop();
    await scratch?.drop();
  });

  it('is taken by the retry once the lease (twice the request timeout) is over: the retry runs once', async () => {
    const actors = await createActors(new ApiClient(baton.url, ADMIN_TOKEN));
    const refs = { projectId: await createProject(actors.pmo), serviceId: await createService(actors.smo) };
    const deliverable = await createDeliverable(actors.pmo, refs);
    const key = `died-${Date.now()}`;
    const db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
    try {
      // The submit claims its key, then waits on this lock to read the deliverable; the api is killed while
      // it waits, before the command has written anything.
      await db.query('BEGIN');
      await db.query('LOCK TABLE deliverables IN ACCESS EXCLUSIVE MODE');
      const dying = actors.pmo
        .post(`/v1/deliverables/${deliverable.id}/submit`, undefined, { 'idempotency-key': key })
        .catch((error: unknown) => error);
      await waitFor(
        async () =>
          (await db.query(`SELECT status FROM idempotency_keys WHERE key = $1`, [key])).rows[0]?.status,
        (status) => status === 'in_progress',
        'the submit to claim its key',
      );
      await baton.stop('SIGKILL');
      expect(await dying).toMatchObject({ message: 'fetch failed' }); // the client saw no answer
      await db.query('ROLLBACK');
    } finally {
      await db.end();
    }

    baton = await start();
    const client = actors.pmo.at(baton.url);
    // A client retrying as it should: while the lease of the dead request runs, 409 "still running".
    const started = Date.now();
    const answers: number[] = [];
    let retry;
    for (;;) {
      retry = await client.post(`/v1/deliverables/${deliverable.id}/submit`, undefined, {
        'idempotency-key': key,
      });
      answers.push(retry.status);
      if (
        retry.status !== 409 ||
        retry.body.code !== 'REQUEST.CONFLICT' ||
        Date.now() - started > 4 * TIMEOUT_MS
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    console.info(
      `retries after the restart: ${answers.join(', ')}; the key was free ${Date.now() - started} ms after the restart (lease ${2 * TIMEOUT_MS} ms)`,
    );
    expect(retry.status).toBe(200);
    expect(retry.body.status).toBe('readiness');
    const again = await client.post(`/v1/deliverables/${deliverable.id}/submit`, undefined, {
      'idempotency-key': key,
    });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(retry.body);
    const history = await client.get(`/v1/deliverables/${deliverable.id}/history`);
    expect(history.body.items.map((event: { action: string }) => event.action)).toEqual(['create', 'submit']);
  });
});
