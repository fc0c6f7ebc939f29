// The command path in the middle: HandoverCommands and its one-statement save against a real PostgreSQL,
// without HTTP. Races are played exactly, by letting another command commit between a load and its save.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { type CommandInput, decide, HandoverCommands, verifyChain } from '@baton/commands';
import { type Actor, DEFAULT_POLICIES, FINAL_STATUSES } from '@baton/handover';
import { Database, type DeliverableChange } from '@baton/persistence';
import { scratchDatabase } from '../support/scratch-database.js';
import { seedCatalogue, seedDraft } from '../support/seed.js';

const PMO: Actor = { principalId: randomUUID(), roles: ['pmo'] };
const SMO: Actor = { principalId: randomUUID(), roles: ['smo'] };

const CRITERIA = [
  {
    key: 'runbook',
    title: 'Runbook',
    practice: 'knowledge management',
    mandatory: true,
    kind: 'manual' as const,
  },
  { key: 'training', title: 'Training', practice: 'workforce', mandatory: false, kind: 'manual' as const },
];

let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
let db: Database;
let commands: HandoverCommands;
let client: pg.Client;
let serviceId: string;
let projectId: string;

beforeAll(async () => {
  scratch = await scratchDatabase();
  db = await Database.connect({ url: scratch.url, poolSize: 6 });
  await db.migrate();
  commands = new HandoverCommands(db);
  client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
  ({ serviceId, projectId } = await seedCatalogue(db, 'MIDDLE'));
});

afterAll(async () => {
  await client?.end();
  await db?.close();
  await scratch?.drop();
});

function newDeliverable(): Promise<string> {
  return seedDraft(
    commands,
    { serviceId, projectId },
    { title: 'middle', criteria: CRITERIA, goLiveInMs: 30 * 86_400_000 },
  );
}

const count = async (sql: string, values: unknown[]): Promise<number> =>
  Number((await client.query(sql, values)).rows[0].n);

async function history(id: string) {
  const { rows } = await client.query(
    `SELECT seq, at, principal_id AS "principalId", action, from_status AS "fromStatus", to_status AS "toStatus",
       data, hash, prev_hash AS "prevHash" FROM audit_events WHERE deliverable_id = $1 ORDER BY seq`,
    [id],
  );
  return rows.map((row) => ({ ...row, at: new Date(row.at).toISOString() }));
}

/**
 * A command path whose first save lets `meanwhile` commit first: the race the retry is for, played exactly.
 */
function losingFirstRace(meanwhile: () => Promise<unknown>): HandoverCommands {
  let raced = false;
  const store = db.deliverables;
  const racing = Object.create(db) as Database;
  Object.defineProperty(racing, 'deliverables', {
    value: Object.assign(Object.create(store) as typeof store, {
      save: async (change: DeliverableChange) => {
        if (!raced) {
          raced = true;
          await meanwhile();
        }
        return store.save(change);
      },
    }),
  });
  return new HandoverCommands(racing);
}

describe('HandoverCommands', () => {
  it('decides again on the fresher row after losing a race, and both commands land once', async () => {
    const id = await newDeliverable();
    const racer = losingFirstRace(() =>
      commands.execute(id, { type: 'attest', key: 'training', evidence: 'slides' }, PMO),
    );
    const { row } = await racer.execute(id, { type: 'attest', key: 'runbook', evidence: 'wiki' }, PMO);
    expect(row.version).toBe(3);
    const events = await history(id);
    expect(events.map((event) => [event.action, event.data.key])).toEqual([
      ['create', undefined],
      ['attest', 'training'],
      ['attest', 'runbook'],
    ]);
    expect(verifyChain(events)).toBeNull();
    const stored = await db.deliverables.findById(id);
    expect(stored?.version).toBe(3);
  });

  it('with If-Match, answers a lost race 412 and writes nothing of its own', async () => {
    const id = await newDeliverable();
    const racer = losingFirstRace(() => commands.execute(id, { type: 'hold', reason: 'r' }, SMO));
    await expect(
      racer.execute(id, { type: 'attest', key: 'runbook', evidence: 'wiki' }, PMO, { ifMatch: 1 }),
    ).rejects.toMatchObject({ code: 'DELIVERABLE.VERSION_MISMATCH' });
    expect((await history(id)).map((event) => event.action)).toEqual(['create', 'hold']);
  });

  it('fires a timer once however many workers run its job at the same time', async () => {
    const id = await newDeliverable();
    await commands.execute(id, { type: 'submit' }, PMO);
    const [timer] = (await db.timers.forDeliverable(id)).filter((t) => t.kind === 'readiness');
    expect(timer).toBeDefined();
    const outcomes = await Promise.all(Array.from({ length: 4 }, () => commands.fireTimer(id, timer.id)));
    expect(outcomes.map((outcome) => outcome.outcome).sort()).toEqual([
      'fired',
      'not_scheduled',
      'not_scheduled',
      'not_scheduled',
    ]);
    // A notice changes nothing: no new version, no audit event; its event is in the outbox once.
    expect((await db.deliverables.findById(id))?.version).toBe(2);
    expect((await history(id)).map((event) => event.action)).toEqual(['create', 'submit']);
    expect(
      await count(
        `SELECT count(*) AS n FROM outbox WHERE deliverable_id = $1 AND payload->>'type' = 'reminder.readiness'`,
        [id],
      ),
    ).toBe(1);
    expect((await db.timers.findById(timer.id))?.status).toBe('sent');
  });

  it('keeps a timer due while on hold and fires it through a new job on resume', async () => {
    const id = await newDeliverable();
    await commands.execute(id, { type: 'submit' }, PMO);
    const [timer] = (await db.timers.forDeliverable(id)).filter((t) => t.kind === 'readiness');
    await commands.execute(id, { type: 'hold', reason: 'supplier' }, SMO);
    expect(await commands.fireTimer(id, timer.id)).toEqual({ outcome: 'waits' });
    expect((await db.timers.findById(timer.id))?.status).toBe('scheduled');
    await client.query(`UPDATE timers SET due_at = now() - interval '1 minute' WHERE id = $1`, [timer.id]);
    await commands.execute(id, { type: 'resume' }, SMO);
    expect(
      await count(
        `SELECT count(*) AS n FROM outbox WHERE deliverable_id = $1 AND job_name = 'fire-timer'
           AND payload->>'timerId' = $2`,
        [id, timer.id],
      ),
    ).toBe(2); // the job made at submit, and the one the resume made
  });

  it('drops a timer its state no longer takes', async () => {
    const id = await newDeliverable();
    await commands.execute(id, { type: 'submit' }, PMO);
    const [timer] = (await db.timers.forDeliverable(id)).filter((t) => t.kind === 'readiness');
    await commands.execute(id, { type: 'cancel', reason: 'stopped' }, PMO);
    // Cancelling cancels the timer row; were its job to run before that, the machine finds it stale.
    await client.query(`UPDATE timers SET status = 'scheduled' WHERE id = $1`, [timer.id]);
    expect(await commands.fireTimer(id, timer.id)).toEqual({ outcome: 'stale' });
    expect((await db.timers.findById(timer.id))?.status).toBe('cancelled');
    expect(FINAL_STATUSES).toContain((await db.deliverables.findById(id))?.status);
  });
});

describe('events no one hears', () => {
  it('are written finished when no webhook subscribes and e-mail is off, so the relay never handles them', async () => {
    const quiet = new HandoverCommands(db, { emailOn: false });
    const id = await newDeliverable();
    await quiet.execute(id, { type: 'hold', reason: 'nobody listens' }, SMO);
    const eventRows = () =>
      client.query(
        `SELECT published_at IS NOT NULL AS published, done_at IS NOT NULL AS done FROM outbox
         WHERE deliverable_id = $1 AND job_name = 'deliver-event' ORDER BY created_at`,
        [id],
      );
    expect((await eventRows()).rows).toEqual([{ published: true, done: true }]);

    // Once a webhook subscribes to the type, its events need their job again; with e-mail on, all do.
    await client.query(
      `INSERT INTO webhooks (id, url, events, secret, created_by, created_at)
       VALUES ($1, 'http://127.0.0.1:9/hook', ARRAY['deliverable.status_changed'], 'secret-0123456789', NULL, now())`,
      [randomUUID()],
    );
    await quiet.execute(id, { type: 'resume' }, SMO);
    await client.query(`DELETE FROM webhooks`);
    await commands.execute(id, { type: 'hold', reason: 'e-mail on' }, SMO);
    expect((await eventRows()).rows).toEqual([
      { published: true, done: true },
      { published: false, done: false },
      { published: false, done: false },
    ]);
  });
});

describe('the save statement', () => {
  it('writes nothing at all when the version has moved on: no row change, audit event, outbox row or timer', async () => {
    const id = await newDeliverable();
    const loaded = await db.deliverables.load(id);
    const { change } = decide({
      loaded: loaded!,
      command: { type: 'submit' } satisfies CommandInput,
      actor: PMO,
      now: new Date(),
      newId: randomUUID,
      emailOn: true,
    });
    // The submission's status-change event and the delayed jobs of its readiness reminders.
    expect(change.outbox.map((row) => row.jobName).sort()).toEqual(
      ['deliver-event', ...change.scheduleTimers.map(() => 'fire-timer')].sort(),
    );
    expect(change.scheduleTimers.map((timer) => timer.kind)).toEqual(
      DEFAULT_POLICIES[4].readinessReminders.map(() => 'readiness'),
    );
    await commands.execute(id, { type: 'hold', reason: 'meanwhile' }, SMO);
    const before = await Promise.all([
      count(`SELECT count(*) AS n FROM audit_events WHERE deliverable_id = $1`, [id]),
      count(`SELECT count(*) AS n FROM outbox WHERE deliverable_id = $1`, [id]),
      count(`SELECT count(*) AS n FROM timers WHERE deliverable_id = $1`, [id]),
      count(
        `SELECT count(*) AS n FROM deliverable_criteria WHERE deliverable_id = $1 AND updated_at IS NOT NULL`,
        [id],
      ),
    ]);
    expect(await db.deliverables.save(change)).toBe(false);
    const after = await Promise.all([
      count(`SELECT count(*) AS n FROM audit_events WHERE deliverable_id = $1`, [id]),
      count(`SELECT count(*) AS n FROM outbox WHERE deliverable_id = $1`, [id]),
      count(`SELECT count(*) AS n FROM timers WHERE deliverable_id = $1`, [id]),
      count(
        `SELECT count(*) AS n FROM deliverable_criteria WHERE deliverable_id = $1 AND updated_at IS NOT NULL`,
        [id],
      ),
    ]);
    expect(after).toEqual(before);
    expect((await db.deliverables.findById(id))?.status).toBe('on_hold');
  });

  it('reads what a submission needs in the load: the stored policy of the tier, else none', async () => {
    const id = await newDeliverable();
    expect((await db.deliverables.load(id))?.tierPolicy).toBeNull();
    const policy = { ...DEFAULT_POLICIES[4], readinessReminders: ['PT1M'] };
    await db.policies.put({ tier: 4, policy, updatedBy: null, updatedAt: new Date() });
    const loaded = await db.deliverables.load(id);
    expect({ tier: loaded?.tier, policy: loaded?.tierPolicy }).toEqual({ tier: 4, policy });
    await client.query(`DELETE FROM policies WHERE tier = 4`);
  });
});
