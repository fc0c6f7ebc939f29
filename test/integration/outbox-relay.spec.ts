import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { HandoverCommands } from '@baton/commands';
import { Database } from '@baton/persistence';
import { loadConfig } from '@baton/config';
import { publishRows, QueueName, Queues } from '@baton/queues';
import pg from 'pg';
import { OutboxRelay } from '@baton/worker';
import { configureQueueBackend, queueConnection } from '@baton/runtime';
import { hasRedis } from '../support/baton-process.js';
import { scratchDatabase } from '../support/scratch-database.js';
import { seedCatalogue, seedDraft } from '../support/seed.js';

const describeRedis = hasRedis() ? describe : describe.skip;
if (!hasRedis())
  console.warn('Skipped: the outbox relay test needs Redis (none was found, so BullMQ runs on PostgreSQL)');

describeRedis('outbox relay', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let db: Database;
  let queues: Queues;
  let commands: HandoverCommands;
  const system = { principalId: null, roles: [] };

  beforeAll(async () => {
    scratch = await scratchDatabase();
    db = await Database.connect({ url: scratch.url, poolSize: 4 });
    await db.migrate();
    const backend = {
      backend: 'redis' as const,
      url: process.env.BATON_TEST_REDIS_URL!,
      origin: 'env' as const,
    };
    await configureQueueBackend(backend);
    queues = new Queues(queueConnection(backend), `baton_relay_${randomBytes(4).toString('hex')}`);
    commands = new HandoverCommands(db);
  });

  afterAll(async () => {
    for (const name of queues.names()) await queues.get(name).obliterate({ force: true });
    await queues.close();
    await db.close();
    await scratch.drop();
  });

  async function deliverableWithEffects(): Promise<string> {
    const id = await seedDraft(commands, await seedCatalogue(db));
    await commands.execute(id, { type: 'hold', reason: 'to make an effect' }, system);
    return id;
  }

  it('commits the effects of a transition as outbox rows with the transition', async () => {
    const before = await db.outbox.countUnpublished();
    const id = await deliverableWithEffects();
    // The hold: one status-change event (e-mail is on for these commands, so it needs its job).
    expect(await db.outbox.countUnpublished()).toBe(before + 1);
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    const { rows } = await client.query(
      `SELECT job_name AS "jobName", payload->>'type' AS type, payload->'data' AS data FROM outbox
       WHERE deliverable_id = $1`,
      [id],
    );
    await client.end();
    expect(rows).toEqual([
      {
        jobName: 'deliver-event',
        type: 'deliverable.status_changed',
        data: { from: 'draft', to: 'on_hold', action: 'hold' },
      },
    ]);
  });

  it('enqueues once when a relay publishes, dies before marking, and the rows are relayed again', async () => {
    const before = await db.outbox.countUnpublished();
    await deliverableWithEffects();
    const pending = await db.outbox.countUnpublished();
    expect(pending).toBe(before + 1);
    const published: string[] = [];

    // First pass: the jobs reach Redis, then the relay "crashes" before the rows are marked.
    await expect(
      db.outbox.relay(1000, async (rows) => {
        await publishRows(queues, rows);
        published.push(...rows.map((row) => row.id));
        throw new Error('crash after publishing');
      }),
    ).rejects.toThrow('crash after publishing');
    expect(await db.outbox.countUnpublished()).toBe(pending);

    // Second pass publishes the same rows again and marks them.
    const relayed = await db.outbox.relay(1000, (rows) => publishRows(queues, rows).then(() => []));
    expect(relayed).toBe(pending);
    expect(await db.outbox.countUnpublished()).toBe(0);

    const jobs = (
      await Promise.all(
        queues.names().map((name) => queues.get(name).getJobs(['waiting', 'delayed', 'prioritized'])),
      )
    ).flat();
    expect(jobs.map((job) => job.id).sort()).toEqual([...published].sort());
    expect(await queues.get(QueueName.Notifications).count()).toBe(
      jobs.filter((job) => job.queueName === (QueueName.Notifications as string)).length,
    );
  });

  it('lets two relays run at once without publishing a row twice', async () => {
    await Promise.all([deliverableWithEffects(), deliverableWithEffects(), deliverableWithEffects()]);
    const seen: string[] = [];
    const relay = () =>
      db.outbox.relay(1, async (rows) => {
        seen.push(...rows.map((row) => row.id));
        await publishRows(queues, rows);
        return [];
      });
    let moved = 1;
    while (moved > 0) moved = (await Promise.all([relay(), relay()])).reduce((a, b) => a + b, 0);
    expect(new Set(seen).size).toBe(seen.length);
    expect(await db.outbox.countUnpublished()).toBe(0);
  });

  it('gives no job to an event no subscription wants (e-mail off), and a job to one that is wanted', async () => {
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    const eventRows = async (deliverableId: string) =>
      (
        await client.query(
          `SELECT id, published_at IS NOT NULL AS published, done_at IS NOT NULL AS done FROM outbox
           WHERE deliverable_id = $1 AND job_name = 'deliver-event'`,
          [deliverableId],
        )
      ).rows as { id: string; published: boolean; done: boolean }[];
    const jobOf = async (id: string) => (await queues.get(QueueName.Notifications).getJob(id)) ?? null;
    const relayWith = (env: Record<string, string>) => new OutboxRelay(db, queues, loadConfig(env)).drain();
    try {
      const unheard = await deliverableWithEffects();
      await relayWith({});
      const [row] = await eventRows(unheard);
      expect(row).toMatchObject({ published: true, done: true });
      expect(await jobOf(row.id)).toBeNull();

      // With e-mail on, every event is someone's: it gets its job.
      const mailed = await deliverableWithEffects();
      await relayWith({ BATON_SMTP_URL: 'smtp://127.0.0.1:1' });
      const [mailedRow] = await eventRows(mailed);
      expect(mailedRow).toMatchObject({ published: true, done: false });
      expect(await jobOf(mailedRow.id)).not.toBeNull();

      // A subscription to the type: the next event of that type gets its job.
      await db.webhooks.insert({
        id: randomUUID(),
        url: 'https://hooks.example.test/baton',
        events: ['deliverable.status_changed'],
        secret: 'relay-test-secret-0123456789',
        createdBy: null,
        createdAt: new Date(),
      });
      const heard = await deliverableWithEffects();
      await relayWith({});
      const [heardRow] = await eventRows(heard);
      expect(heardRow).toMatchObject({ published: true, done: false });
      expect(await jobOf(heardRow.id)).not.toBeNull();
    } finally {
      await client.end();
    }
  });

  it('survives its connection dying in the middle of a relay pass: the pass fails, nothing is marked', async () => {
    await deliverableWithEffects();
    const pending = await db.outbox.countUnpublished();
    const killer = new pg.Client({ connectionString: scratch.url, application_name: 'relay-test-killer' });
    await killer.connect();
    try {
      await expect(
        db.outbox.relay(1000, async () => {
          // The relay's own connection waits in its transaction for this callback: end it under it.
          await killer.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = current_database() AND state = 'idle in transaction' AND pid <> pg_backend_pid()`,
          );
          await new Promise((resolve) => setTimeout(resolve, 100));
          return [];
        }),
      ).rejects.toThrow();
    } finally {
      await killer.end();
    }
    // The pool opens a new connection; the rows were not marked and are relayed now.
    expect(await db.outbox.countUnpublished()).toBe(pending);
    expect(await db.outbox.relay(1000, (rows) => publishRows(queues, rows).then(() => []))).toBe(pending);
  });
});
