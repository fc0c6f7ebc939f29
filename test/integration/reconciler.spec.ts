import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { emailJob, eventJob, outboxJob, timerJob } from '@baton/commands';
import { loadConfig } from '@baton/config';
import { RedisClients } from '@baton/core';
import { Database } from '@baton/persistence';
import { JobName, publishRows, Queues } from '@baton/queues';
import { FinishedJobs, Housekeeping, Reconciler } from '@baton/worker';
import { configureQueueBackend, queueConnection } from '@baton/runtime';
import { hasRedis } from '../support/baton-process.js';
import { scratchDatabase } from '../support/scratch-database.js';

const describeRedis = hasRedis() ? describe : describe.skip;
if (!hasRedis())
  console.warn('Skipped: the reconciler test needs Redis (none was found, so BullMQ runs on PostgreSQL)');

/**
 * Redis losing its jobs, played exactly: rows relayed from the outbox, the queues obliterated (what
 * FLUSHALL does to them), then the reconciler's check. Which ids come back is the whole assertion.
 */
describeRedis('reconciliation after Redis lost its jobs', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let db: Database;
  let queues: Queues;
  let reconciler: Reconciler;
  const backend = {
    backend: 'redis' as const,
    url: process.env.BATON_TEST_REDIS_URL!,
    origin: 'env' as const,
  };

  beforeAll(async () => {
    scratch = await scratchDatabase();
    db = await Database.connect({ url: scratch.url, poolSize: 4 });
    await db.migrate();
    await configureQueueBackend(backend);
    queues = new Queues(queueConnection(backend), `baton_reconcile_${randomBytes(4).toString('hex')}`, {
      installationId: await db.installationId(),
    });
    reconciler = new Reconciler(db, queues, loadConfig({}), new RedisClients(backend));
  });

  afterAll(async () => {
    await loseEverything();
    await reconciler.onApplicationShutdown();
    await queues.close();
    await db.close();
    await scratch.drop();
  });

  /** What FLUSHALL does to this test's queues and sentinel. */
  async function loseEverything(): Promise<void> {
    for (const name of queues.names()) await queues.get(name).obliterate({ force: true });
    await (await sentinelClient()).del(reconciler.sentinelKey);
  }

  function sentinelClient() {
    return queues.get(queues.names()[0]).getBackend().client;
  }

  async function jobIds(): Promise<string[]> {
    const jobs = await Promise.all(
      queues.names().map((name) => queues.get(name).getJobs(['waiting', 'delayed', 'prioritized'])),
    );
    return jobs
      .flat()
      .map((job) => job.id!)
      .sort();
  }

  /** One row of each kind a transition or a worker writes, relayed to Redis. */
  async function relayedRows() {
    const deliverableId = randomUUID();
    const at = new Date();
    const event = eventJob(deliverableId, 'deliverable.status_changed', { to: 'on_hold' }, at);
    const rows = {
      event,
      probe: outboxJob(
        JobName.ProbeCriterion,
        { deliverableId, key: 'monitoring', round: 1, url: 'http://127.0.0.1:1/health' },
        null,
      ),
      email: emailJob(
        { eventId: event.id, deliverableId },
        { id: randomUUID(), email: 'smo@example.test' },
        { subject: 's', text: 't' },
      ),
      timer: timerJob(deliverableId, {
        id: randomUUID(),
        kind: 'els_end',
        dueAt: new Date(Date.now() + 3600_000),
      }),
    };
    await db.outbox.append(
      Object.values(rows).map((row) => ({ deliverableId, ...row })),
      at,
    );
    while ((await db.outbox.relay(500, (batch) => publishRows(queues, batch).then(() => []))) > 0) {
      // until every row is published
    }
    return rows;
  }

  it('gives back every published event, probe and e-mail whose job has not finished, and no other', async () => {
    await reconciler.check(); // the first check of a process: sets the sentinel
    const { event, probe, email, timer } = await relayedRows();
    const done = await relayedRows();
    await db.outbox.markDone(
      Object.values(done).map((row) => row.id),
      new Date(),
    );
    expect(await jobIds()).toEqual(
      [event, probe, email, timer, ...Object.values(done)].map((row) => row.id).sort(),
    );

    await loseEverything();
    expect(await jobIds()).toEqual([]);
    await reconciler.check();
    // The timer comes back from the timers table, not the outbox (this one has no row there: it stays out).
    expect(await jobIds()).toEqual([event.id, probe.id, email.id].sort());

    // A check with nothing lost adds nothing; a job added twice is one job.
    await reconciler.check();
    await reconciler.reconcile();
    expect(await jobIds()).toEqual([event.id, probe.id, email.id].sort());
  });

  it('reconciles again at the next check, for a relay pass that committed after the loss', async () => {
    await reconciler.check();
    await loseEverything();
    await reconciler.check();
    // A relay that published before the loss and commits only now: its rows are published, their jobs gone.
    const late = await relayedRows();
    await loseEverything();
    await (await sentinelClient()).set(reconciler.sentinelKey, 'kept');
    await reconciler.check();
    expect(await jobIds()).toEqual(expect.arrayContaining([late.event.id, late.probe.id, late.email.id]));

    // Only once: with the sentinel there, the check after that gives back nothing.
    const later = await relayedRows();
    await loseEverything();
    await (await sentinelClient()).set(reconciler.sentinelKey, 'kept');
    await reconciler.check();
    expect(await jobIds()).not.toEqual(expect.arrayContaining([later.event.id]));
  });

  it('purges outbox rows finished more than a day ago, and only those', async () => {
    const old = await relayedRows();
    const recent = await relayedRows();
    const now = Date.now();
    await db.outbox.markDone(
      Object.values(old).map((row) => row.id),
      new Date(now - 25 * 3600_000),
    );
    await db.outbox.markDone(
      Object.values(recent).map((row) => row.id),
      new Date(now - 23 * 3600_000),
    );
    const removed = await new Housekeeping(db).run(new Date(now));
    expect(removed.outboxRows).toBeGreaterThanOrEqual(4);
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    const left = async (rows: object) =>
      (
        await client.query(`SELECT count(*)::int AS n FROM outbox WHERE id = ANY($1::uuid[])`, [
          Object.values(rows).map((row: { id: string }) => row.id),
        ])
      ).rows[0].n as number;
    const [oldLeft, recentLeft] = [await left(old), await left(recent)];
    await client.end();
    expect([oldLeft, recentLeft]).toEqual([0, 4]);
  });

  it('records finished jobs in batches: none of them comes back after a loss', async () => {
    await reconciler.check();
    const rows = await relayedRows();
    const finished = new FinishedJobs(db);
    for (const row of [rows.event, rows.probe, rows.email]) finished.add(row.id);
    await finished.flush();
    await loseEverything();
    await reconciler.check();
    const finishedIds = [rows.event.id, rows.probe.id, rows.email.id];
    expect((await jobIds()).filter((id) => finishedIds.includes(id))).toEqual([]);
  });
});
