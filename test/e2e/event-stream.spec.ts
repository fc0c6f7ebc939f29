// GET /v1/events, read with fetch as a browser would: two api processes on one database (what commits through
// one shows on the other's stream), a restart of the api with a reconnect from Last-Event-ID (nothing missed,
// nothing twice), the narrowing to one deliverable, bad Last-Event-IDs, keep-alive, revocation, shutdown with
// streams open, and the streams counted in the metrics.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import { openEventStream, type OpenStream } from '../support/event-stream.js';
import { createPrincipal, unique } from '../support/fixtures.js';
import { sleep } from '../support/handover-flow.js';
import { ApiClient } from '../support/http-client.js';
import { ok } from '../support/scene.js';
import { scratchDatabase } from '../support/scratch-database.js';

let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
/** api and worker in one process */
let a: BatonProcess;
/** an api alone, on the same database */
let b: BatonProcess;
let env: Record<string, string>;
let admin: ApiClient;
let pmo: ApiClient;
let owner: ApiClient;
let watcher: { id: string; client: ApiClient };
let projectId: string;
let serviceId: string;
const streams: OpenStream[] = [];

const tokenOf = (client: ApiClient): string => client.token!;

async function open(
  baton: BatonProcess,
  client: ApiClient,
  options?: Parameters<typeof openEventStream>[2],
): Promise<OpenStream> {
  const stream = await openEventStream(baton.url, tokenOf(client), options);
  streams.push(stream);
  return stream;
}

/** A new deliverable through `api`, taken to acceptance: three status changes. */
async function toAcceptance(api: string): Promise<string> {
  const client = pmo.at(api);
  const created = await ok(
    client.post('/v1/deliverables', {
      projectId,
      serviceId,
      title: unique('streamed'),
      changeType: 'minor_change',
      targetGoLive: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    }),
    'create',
  );
  await ok(client.post(`/v1/deliverables/${created.id}/submit`), 'submit');
  await ok(
    client.post(`/v1/deliverables/${created.id}/readiness/runbook/attest`, { evidence: 'wiki' }),
    'attest',
  );
  return created.id as string;
}

const statusChanges = (stream: OpenStream, deliverableId: string): string[] =>
  stream
    .events()
    .filter(
      (event) => event.data.deliverableId === deliverableId && event.event === 'deliverable.status_changed',
    )
    .map((event) => `${event.data.data.from}>${event.data.data.to}`);

beforeAll(async () => {
  scratch = await scratchDatabase();
  // One admin token for both: each start sets the admin's token to the one it is given.
  env = {
    DATABASE_URL: scratch.url,
    BATON_QUEUE_PREFIX: unique('baton_events'),
    BATON_ADMIN_TOKEN: `test_admin_${unique('events')}`,
  };
  a = await startBaton({ env });
  b = await startBaton({ app: 'api', env });
  admin = new ApiClient(a.url, env.BATON_ADMIN_TOKEN);
  await ok(
    admin.request('PUT', '/v1/policies/3', {
      acceptance: { roles: ['service_owner'], quorum: 1, decisionSla: 'PT1H' },
      elsExit: { roles: ['service_owner'], quorum: 1, decisionSla: 'PT1H' },
      elsDuration: 'P1D',
      elsFollowUpEvery: 'P1D',
      elsExitMaxOpenIncidents: { P1: 0, P2: 0 },
      readinessReminders: [],
    }),
    'policy',
  );
  await ok(
    admin.post('/v1/checklists', {
      name: 'events',
      changeTypes: ['minor_change'],
      tiers: [3],
      criteria: [
        {
          key: 'runbook',
          title: 'Runbook',
          practice: 'knowledge management',
          mandatory: true,
          kind: 'manual',
        },
      ],
    }),
    'checklist',
  );
  const made = await Promise.all([
    createPrincipal(admin, unique('pmo'), ['pmo']),
    createPrincipal(admin, unique('owner'), ['service_owner']),
    createPrincipal(admin, unique('watcher'), ['smo']),
  ]);
  [pmo, owner] = made.map((principal) => principal.client);
  watcher = made[2];
  serviceId = (await ok(admin.post('/v1/services', { name: unique('service'), tier: 3 }), 'service')).id;
  projectId = (
    await ok(
      pmo.post('/v1/projects', { key: unique('EVT'), name: 'Events', methodology: 'agile' }),
      'project',
    )
  ).id;
}, 90_000);

afterAll(async () => {
  for (const stream of streams) stream.close();
  await Promise.all([a?.stop(), b?.stop()]);
  await scratch?.drop();
});

describe('GET /v1/events', () => {
  it('streams, on one api, the events committed through another, as the webhook body, in commit order', async () => {
    const stream = await open(b, watcher.client);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers.get('cache-control')).toBe('no-cache');
    expect(stream.headers.get('x-accel-buffering')).toBe('no');
    expect(stream.headers.get('x-content-type-options')).toBe('nosniff');
    await stream.until((s) => s.frames.length > 0, 'the first frame');
    expect(stream.frames[0].retry).toBe('2000');

    const id = await toAcceptance(a.url);
    const started = Date.now();
    await ok(
      owner.at(a.url).post(`/v1/deliverables/${id}/decisions`, {
        gate: 'acceptance',
        role: 'service_owner',
        decision: 'approve',
      }),
      'approve',
    );
    await stream.until((s) => statusChanges(s, id).includes('acceptance>approved'), 'the approval on api B');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(statusChanges(stream, id)).toEqual([
      'draft>readiness',
      'readiness>acceptance',
      'acceptance>approved',
    ]);
    for (const event of stream.events().filter((e) => e.data.deliverableId === id)) {
      expect(Object.keys(event.data).sort()).toEqual(['data', 'deliverableId', 'id', 'occurredAt', 'type']);
      expect(event.id).toBe(event.data.id);
      expect(event.event).toBe(event.data.type);
      expect(new Date(event.data.occurredAt).toISOString()).toBe(event.data.occurredAt);
    }
  });

  it('carries every recorded change: one that moves no status comes as deliverable.updated', async () => {
    const stream = await open(b, watcher.client);
    const created = await ok(
      pmo.at(a.url).post('/v1/deliverables', {
        projectId,
        serviceId,
        title: unique('edited'),
        changeType: 'minor_change',
        targetGoLive: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      }),
      'create',
    );
    const started = Date.now();
    await ok(pmo.at(a.url).patch(`/v1/deliverables/${created.id}`, { title: unique('renamed') }), 'edit');
    const updated = (s: OpenStream) =>
      s.events().filter((e) => e.event === 'deliverable.updated' && e.data.deliverableId === created.id);
    await stream.until((s) => updated(s).length > 0, 'the edit as deliverable.updated');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(updated(stream).map((e) => e.data.data)).toEqual([
      { action: 'edit', status: 'draft', version: 2 },
    ]);
    stream.close();
  });

  it('narrows to one deliverable with ?deliverableId=, and answers 404 for one that does not exist', async () => {
    const first = await toAcceptance(a.url);
    const narrow = await open(b, watcher.client, { query: `deliverableId=${first}` });
    const all = await open(b, watcher.client);
    const second = await toAcceptance(a.url);
    await ok(
      owner.at(a.url).post(`/v1/deliverables/${first}/decisions`, {
        gate: 'acceptance',
        role: 'service_owner',
        decision: 'approve',
      }),
      'approve',
    );
    await all.until((s) => statusChanges(s, first).includes('acceptance>approved'), 'the approval');
    await narrow.until(
      (s) => statusChanges(s, first).includes('acceptance>approved'),
      'the approval, narrowed',
    );
    expect(statusChanges(all, second)).toEqual(['draft>readiness', 'readiness>acceptance']);
    expect(narrow.events().map((event) => event.data.deliverableId)).toEqual([first]);

    const missing = await watcher.client.at(b.url).get(`/v1/events?deliverableId=${crypto.randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses a Last-Event-ID that is no event id, or names no event it keeps: 400 problem', async () => {
    const client = watcher.client.at(b.url);
    const malformed = await client.get('/v1/events', { 'last-event-id': 'not-an-id' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([
      { path: 'Last-Event-ID', message: 'must be an event id (a UUID)' },
    ]);
    const unknown = await client.get('/v1/events', { 'last-event-id': crypto.randomUUID() });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].path).toBe('Last-Event-ID');
    const unknownInQuery = await client.get(`/v1/events?lastEventId=${crypto.randomUUID()}`);
    expect(unknownInQuery.status).toBe(400);
    const noToken = await client.as(null).get('/v1/events');
    expect(noToken.status).toBe(401);
  });

  it('misses nothing and repeats nothing across a restart of the api: the client reconnects with Last-Event-ID', async () => {
    // The reference: a stream on the other process, open throughout.
    const reference = await open(a, watcher.client);
    let onB = await open(b, watcher.client);
    await Promise.all([reference, onB].map((s) => s.until((x) => x.frames.length > 0, 'the first frame')));
    const ids: string[] = [];
    let producing = true;
    // Commands through A while B restarts: three events each, several at once.
    const producer = (async () => {
      while (producing) ids.push(...(await Promise.all([toAcceptance(a.url), toAcceptance(a.url)])));
    })();
    await onB.until((s) => s.events().length >= 6, 'some events before the restart');
    const stopping = Date.now();
    expect(await b.stop('SIGTERM')).toBe(0);
    // An open stream does not hold the stop up.
    expect(Date.now() - stopping).toBeLessThan(5000);
    await onB.ended;
    const before = onB.events();
    const last = before.at(-1)!.id;
    await sleep(500); // events committed while no api B runs
    b = await startBaton({ app: 'api', env });
    onB = await open(b, watcher.client, { lastEventId: last });
    await sleep(500);
    producing = false;
    await producer;
    const expected = async (): Promise<string[]> => {
      await reference.until(
        (s) => ids.every((id) => statusChanges(s, id).length === 2),
        'every event on the reference stream',
      );
      return reference.events().map((event) => event.id);
    };
    const all = await expected();
    await onB.until((s) => s.events().at(-1)?.id === all.at(-1), 'the last event after the restart');
    const received = [...before, ...onB.events()].map((event) => event.id);
    const from = all.indexOf(before[0].id);
    expect(from).toBeGreaterThanOrEqual(0);
    expect(received).toEqual(all.slice(from));
    expect(new Set(received).size).toBe(received.length);
  }, 60_000);

  it('never passes over an event whose transaction commits late: later ones wait for it, then follow it', async () => {
    const stream = await open(b, watcher.client);
    await stream.until((s) => s.frames.length > 0, 'the first frame');
    const deliverableId = await toAcceptance(a.url);
    const late = randomUUID();
    const db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
    try {
      // One statement, as Baton writes events: its row is written at once and committed 1.5 s later.
      const slow = db.query(
        `WITH o AS (INSERT INTO outbox (id, deliverable_id, queue, job_name, payload, created_at, published_at, done_at)
           VALUES ($1, $2, 'notifications', 'deliver-event', $3::jsonb, now(), now(), now()) RETURNING id)
         SELECT pg_sleep(1.5) FROM o`,
        [
          late,
          deliverableId,
          JSON.stringify({
            eventId: late,
            type: 'els.follow_up',
            occurredAt: new Date().toISOString(),
            deliverableId,
            data: { late: true },
          }),
        ],
      );
      await sleep(300);
      await ok(
        owner.at(a.url).post(`/v1/deliverables/${deliverableId}/decisions`, {
          gate: 'acceptance',
          role: 'service_owner',
          decision: 'approve',
        }),
        'approve',
      );
      await slow;
      await stream.until(
        (s) => statusChanges(s, deliverableId).includes('acceptance>approved'),
        'the approval',
      );
      const ids = stream.events().map((event) => event.id);
      const approval = stream
        .events()
        .find((event) => event.data.deliverableId === deliverableId && event.data.data.to === 'approved')!;
      expect(ids).toContain(late);
      expect(ids.indexOf(late)).toBeLessThan(ids.indexOf(approval.id));
    } finally {
      await db.end();
    }
  });

  it('is not held back by a transaction idle between statements (the relay waiting on Redis)', async () => {
    const stream = await open(b, watcher.client);
    await stream.until((s) => s.frames.length > 0, 'the first frame');
    const db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
    try {
      await db.query('BEGIN');
      await db.query('SELECT pg_current_xact_id()'); // it holds a transaction id from here
      const id = await toAcceptance(a.url);
      const started = Date.now();
      await stream.until((s) => statusChanges(s, id).includes('readiness>acceptance'), 'the events', 5000);
      expect(Date.now() - started).toBeLessThan(2000);
      await db.query('ROLLBACK');
    } finally {
      await db.end();
    }
  });

  it('counts its open streams in the metrics', async () => {
    const metrics = async (): Promise<number> => {
      const text = (await admin.at(b.url).get('/metrics')).body as string;
      return Number(/^baton_event_streams (\d+)$/m.exec(text)?.[1]);
    };
    for (const stream of streams) stream.close();
    await sleep(300);
    expect(await metrics()).toBe(0);
    const one = await open(b, watcher.client);
    const two = await open(b, watcher.client, { query: `deliverableId=${await toAcceptance(a.url)}` });
    await Promise.all([one, two].map((s) => s.until((x) => x.frames.length > 0, 'the first frame')));
    expect(await metrics()).toBe(2);
    one.close();
    two.close();
    await sleep(300);
    expect(await metrics()).toBe(0);
  });

  it('keeps an idle stream open with a comment every 15 s, and ends it once its token is revoked', async () => {
    const revoked = await createPrincipal(admin, unique('leaver'), ['smo']);
    const kept = await open(b, watcher.client);
    const leaving = await open(b, revoked.client);
    await leaving.until((s) => s.frames.length > 0, 'the first frame');
    await ok(admin.request('DELETE', `/v1/principals/${revoked.id}`), 'revoke');
    await kept.until(
      (s) => s.frames.some((frame) => frame.comments.includes('keep-alive')),
      'a keep-alive',
      17_000,
    );
    await leaving.ended;
    expect(leaving.frames.some((frame) => frame.comments.includes('keep-alive'))).toBe(false);
  }, 25_000);
});
