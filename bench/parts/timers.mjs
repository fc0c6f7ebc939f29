// Part 4. Timers at scale. Baton: deliverables in readiness, each with its readiness reminders (3 timers),
// as a submit over HTTP leaves them; one such deliverable is made over HTTP and then cloned in SQL (its
// row, criteria and audit events), because making 100k over HTTP does not fit the time budget. The timer
// rows, their (already published) outbox rows and their BullMQ delayed jobs are written directly, the jobs
// by Baton's own publishRows (what the relay calls), so the queue holds exactly what Baton would hold.
// Their due times are spread evenly over a window; the worker fires them through its timer processor.
// Lateness is timers.sent_at - timers.due_at. The limit: the same number of raw BullMQ delayed jobs, same
// options and payload shape, same due-time spread, run by a no-op Worker of the same concurrency, in a
// window of its own just before Baton's. A second, lighter pass (fewer timers per second) shows the
// lateness below Baton's capacity.
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { createDeliverable, createService, expectStatus } from '../lib/http.mjs';
import { backendsOf, CpuMeter, startScript } from '../lib/proc.mjs';
import { log, now, round, sleep, summarize } from '../lib/util.mjs';
import { perOperation } from './commands.mjs';
import { BATON_WORKER_CONCURRENCY } from './jobs.mjs';

const PAGE = 1000;
const TABLES = ['deliverables', 'deliverable_criteria', 'audit_events', 'timers', 'outbox'];

async function tableBytes(sql) {
  const rows = (
    await sql.query(
      `SELECT relname AS name, pg_total_relation_size(oid) AS bytes FROM pg_class
       WHERE relname = ANY($1) AND relkind = 'r' AND relnamespace = 'public'::regnamespace`,
      [TABLES],
    )
  ).rows;
  return Object.fromEntries(rows.map((row) => [row.name, Number(row.bytes)]));
}

async function usedMemory(redis) {
  return Number(/^used_memory:(\d+)/m.exec(await redis.info('memory'))[1]);
}

/** Bytes a queue's keys take per job: sampled job hashes, plus the queue's shared keys in full. */
async function queueBytes(redis, prefix, queue, jobIds) {
  const step = Math.max(1, Math.floor(jobIds.length / 200));
  const sample = jobIds.filter((_, index) => index % step === 0).slice(0, 200);
  const pipeline = redis.pipeline();
  for (const id of sample) pipeline.memory('USAGE', `${prefix}:${queue}:${id}`, 'SAMPLES', '0');
  const hashes = (await pipeline.exec()).map(([, bytes]) => Number(bytes ?? 0));
  const perJobHash = hashes.reduce((a, b) => a + b, 0) / Math.max(1, hashes.length);
  let sharedKeys = 0;
  for (const suffix of ['delayed', 'wait', 'events', 'meta', 'id', 'marker', 'prioritized', 'completed']) {
    sharedKeys += Number((await redis.memory('USAGE', `${prefix}:${queue}:${suffix}`, 'SAMPLES', '0')) ?? 0);
  }
  return { perJobHash, sharedKeys, perTimer: perJobHash + sharedKeys / jobIds.length };
}

/** How many jobs per second addBulk takes here, from one throw-away batch. */
async function addRate(target, prefix) {
  const queue = new Queue('calibrate', { connection: target.connection(), prefix });
  const t0 = now();
  await queue.addBulk(
    Array.from({ length: PAGE }, () => ({
      name: 'x',
      data: { timerId: randomUUID(), deliverableId: randomUUID(), kind: 'readiness' },
      opts: { delay: 3_600_000 },
    })),
  );
  const rate = PAGE / ((now() - t0) / 1000);
  await queue.obliterate({ force: true });
  await queue.close();
  return rate;
}

function lateness(values) {
  const s = summarize(values);
  return { p50: s.median, p99: s.p99, max: s.max, n: s.n };
}

/** Raw BullMQ: `count` delayed jobs due evenly over `windowMs`, a no-op Worker, lateness from processedOn. */
async function rawPass(ctx, { count, windowMs, drainMs, measureMemory, redis, fireOptions, rate }) {
  const prefix = `${ctx.prefix}_rawtimers`;
  const worker = await startScript('raw BullMQ timer worker', 'bullmq-noop-worker.mjs', {
    ...ctx.redis.workerEnv,
    PREFIX: prefix,
    QUEUE: 'raw-timers',
    CONCURRENCY: String(BATON_WORKER_CONCURRENCY),
  });
  const queue = new Queue('raw-timers', { connection: ctx.redis.connection(), prefix });
  const spacing = windowMs / count;
  const ids = Array.from({ length: count }, () => randomUUID());
  const memoryBefore = measureMemory ? await usedMemory(redis) : 0;
  const start = Date.now() + 2000 + (count / rate) * 1000 * 2;
  let publishedLate = 0;
  const t0 = now();
  for (let offset = 0; offset < count; offset += PAGE) {
    const at = Date.now();
    await queue.addBulk(
      ids.slice(offset, offset + PAGE).map((id, i) => {
        const due = start + (offset + i) * spacing;
        if (due < at) publishedLate++;
        return {
          name: 'fire-timer',
          data: { timerId: id, deliverableId: randomUUID(), kind: 'readiness' },
          // Kept when completed (Baton's are removed): the run reads each job's processedOn afterwards.
          opts: { ...fireOptions, removeOnComplete: false, jobId: id, delay: Math.max(0, due - at) },
        };
      }),
    );
  }
  const publishSeconds = (now() - t0) / 1000;
  const memory = measureMemory
    ? {
        infoDeltaPerTimer: ((await usedMemory(redis)) - memoryBefore) / count,
        ...(await queueBytes(redis, prefix, 'raw-timers', ids)),
      }
    : null;
  while (Date.now() < start) await sleep(100);
  const meter = await new CpuMeter({ worker: worker.pid, redis: ctx.redis.pid }).start();
  ctx.sampler.phase = 'raw-timers';
  const deadline = start + windowMs + drainMs;
  while ((await queue.getJobCountByTypes('completed')) < count && Date.now() < deadline) await sleep(250);
  ctx.sampler.phase = 'between';
  const cpu = await meter.stop();
  const late = [];
  let last = 0;
  for (let offset = 0; offset < count; offset += 5000) {
    const pipeline = redis.pipeline();
    for (const id of ids.slice(offset, offset + 5000))
      pipeline.hget(`${prefix}:raw-timers:${id}`, 'processedOn');
    (await pipeline.exec()).forEach(([, processedOn], i) => {
      if (!processedOn) return;
      late.push(Number(processedOn) - (start + (offset + i) * spacing));
      last = Math.max(last, Number(processedOn));
    });
  }
  await queue.close();
  await worker.stop();
  await ctx.redis.deleteKeys(prefix);
  return {
    lateness: lateness(late),
    fired: late.length,
    firedPerSecond: late.length / ((last - start) / 1000),
    cpuMsPerTimer: perOperation(cpu, Math.max(1, late.length)),
    publishedLate,
    publishSeconds,
    ...(memory ? { redis: memory } : {}),
  };
}

/**
 * Baton: `perDeliverable` readiness timers for each deliverable of `service` (but the template), due evenly
 * over `windowMs`, their outbox rows (published) and their delayed jobs through Baton's publishRows.
 */
async function batonPass(ctx, { service, template, befores, limit, windowMs, drainMs, leadMs, storage }) {
  const { sql } = ctx;
  const { Queues, publishRows } = await import('../../dist/libs/queues/src/index.js');
  const redis = storage?.redis;
  // timers.created_at tells this pass's rows apart (a time in the past no command writes).
  const marker = new Date(Date.UTC(2001, 0, 1) + Math.floor(Math.random() * 1e10));
  const count = limit * befores.length;
  const spacing = windowMs / count;
  const start = Date.now() + leadMs;
  const t0 = now();
  await sql.query(
    `INSERT INTO timers (id, deliverable_id, kind, due_at, status, period, repeat_every, before, created_at)
     SELECT gen_random_uuid(), d.id, 'readiness',
       to_timestamp(($1::float8 + (row_number() OVER (ORDER BY d.id, b.n) - 1) * $2::float8) / 1000),
       'scheduled', NULL, NULL, b.before, $6
     FROM (SELECT id FROM deliverables WHERE service_id = $4 AND id <> $5 ORDER BY id LIMIT $7) d,
       unnest($3::text[]) WITH ORDINALITY AS b(before, n)`,
    [start, spacing, befores, service, template, marker, limit],
  );
  await sql.query(
    `INSERT INTO outbox (id, deliverable_id, queue, job_name, payload, run_at, created_at, published_at)
     SELECT id, deliverable_id, 'timers', 'fire-timer',
       jsonb_build_object('timerId', id, 'deliverableId', deliverable_id, 'kind', kind), due_at, now(), now()
     FROM timers WHERE created_at = $1`,
    [marker],
  );
  await sql.query('ANALYZE timers, outbox');
  const rowsSeconds = (now() - t0) / 1000;
  const pgAfter = storage ? await tableBytes(sql) : null;
  const memoryBefore = redis ? await usedMemory(redis) : 0;
  const queues = new Queues({ connection: ctx.redis.connection() }, ctx.prefix);
  const ids = [];
  let publishedLate = 0;
  const t1 = now();
  for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
    const page = (
      await sql.query(
        `SELECT id, deliverable_id, kind, due_at FROM timers WHERE created_at = $1 AND id > $2 ORDER BY id LIMIT $3`,
        [marker, after, PAGE],
      )
    ).rows;
    if (page.length === 0) break;
    const at = Date.now();
    publishedLate += page.filter((row) => row.due_at.getTime() < at).length;
    await publishRows(
      queues,
      page.map((row) => ({
        id: row.id,
        queue: 'timers',
        jobName: 'fire-timer',
        payload: { timerId: row.id, deliverableId: row.deliverable_id, kind: row.kind },
        runAt: row.due_at,
      })),
    );
    ids.push(...page.map((row) => row.id));
    after = page.at(-1).id;
  }
  const publishSeconds = (now() - t1) / 1000;
  await queues.close();
  const redisBytes = redis
    ? {
        infoDeltaPerTimer: ((await usedMemory(redis)) - memoryBefore) / count,
        ...(await queueBytes(redis, ctx.prefix, 'timers', ids)),
      }
    : null;
  const sent = async () =>
    Number(
      (
        await sql.query(`SELECT count(*) AS n FROM timers WHERE created_at = $1 AND status = 'sent'`, [
          marker,
        ])
      ).rows[0].n,
    );
  if (Date.now() > start)
    log(`timers: the window opened ${Date.now() - start} ms before the jobs were all published`);
  while (Date.now() < start) await sleep(100);
  const meter = await new CpuMeter({
    worker: ctx.worker.pid,
    postgres: backendsOf(sql, ctx.db.name, 'baton'),
    redis: ctx.redis.pid,
  }).start();
  ctx.sampler.phase = 'timers';
  const deadline = start + windowMs + drainMs;
  let fired = 0;
  while ((fired = await sent()) < count && Date.now() < deadline) await sleep(500);
  ctx.sampler.phase = 'between';
  const cpu = await meter.stop();
  const rows = (
    await sql.query(
      `SELECT (extract(epoch FROM sent_at - due_at) * 1000)::float8 AS ms, (extract(epoch FROM sent_at) * 1000)::float8 AS sent
       FROM timers WHERE created_at = $1 AND status = 'sent'`,
      [marker],
    )
  ).rows;
  const lastSent = Math.max(...rows.map((row) => row.sent));
  return {
    lateness: lateness(rows.map((row) => row.ms)),
    fired,
    firedPerSecond: fired / ((lastSent - start) / 1000),
    cpuMsPerTimer: perOperation(cpu, Math.max(1, fired)),
    publishedLate,
    setupSeconds: { timerRows: rowsSeconds, publish: publishSeconds },
    ...(pgAfter ? { pgAfter } : {}),
    ...(redisBytes ? { redis: redisBytes } : {}),
  };
}

export async function runTimers(ctx) {
  const { config, sql } = ctx;
  const deliverables = Math.max(10, Math.round(100_000 * config.scale));
  const timerCount = deliverables * 3;
  const windowMs = config.timerWindowS * 1000;
  const drainMs = config.timerDrainS * 1000;
  // Memory per timer is read on the single Redis only: a cluster client's INFO answers from any node.
  const redis = ctx.redis.mode === 'standalone' ? ctx.redis.client({ maxRetriesPerRequest: 3 }) : null;
  const reader = redis ?? ctx.redis.client({ maxRetriesPerRequest: 3 });
  const { JOB_OPTIONS } = await import('../../dist/libs/queues/src/index.js');
  const fireOptions = JOB_OPTIONS['fire-timer'];
  const rate = await addRate(ctx.redis, `${ctx.prefix}_calibrate`);
  log(
    `timers: ${deliverables} deliverables, ${timerCount} timers over ${config.timerWindowS} s (${round(timerCount / config.timerWindowS)} per second)`,
  );

  // The template: made and submitted over HTTP (tier 2: readiness reminders P14D, P7D, P1D), then cloned.
  const pmo = ctx.world.pmo.client;
  const service = await createService(ctx.world.smo.client, 2);
  const template = await createDeliverable(pmo, {
    projectId: ctx.world.projectId,
    serviceId: service,
    daysAhead: 30,
  });
  await expectStatus(pmo.post(`/v1/deliverables/${template.id}/submit`, {}), 200, 'submit');
  const befores = (
    await sql.query(
      `SELECT before FROM timers WHERE deliverable_id = $1 AND status = 'scheduled' ORDER BY due_at`,
      [template.id],
    )
  ).rows.map((row) => row.before);
  if (befores.length !== 3)
    throw new Error(`expected 3 readiness timers on the template, found ${befores.length}`);
  await sleep(500); // the submit's own outbox rows are relayed
  const pgBefore = await tableBytes(sql);
  const t0 = now();
  const client = await sql.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `CREATE TEMP TABLE bench_clones ON COMMIT DROP AS SELECT gen_random_uuid() AS id, g FROM generate_series(1, $1::int) g`,
      [deliverables],
    );
    await client.query(
      `INSERT INTO deliverables (id, checklist_id, awaiting_roles, project_id, service_id, title, description, change_type,
         target_go_live, status, snapshot, machine_version, version, submitted_by, created_by, audit_seq, audit_hash, created_at, updated_at)
       SELECT c.id, t.checklist_id, t.awaiting_roles, t.project_id, t.service_id, t.title || ' #' || c.g, t.description, t.change_type,
         t.target_go_live, t.status, t.snapshot, t.machine_version, t.version, t.submitted_by, t.created_by, t.audit_seq, t.audit_hash, now(), now()
       FROM bench_clones c, deliverables t WHERE t.id = $1`,
      [template.id],
    );
    await client.query(
      `INSERT INTO deliverable_criteria (deliverable_id, key, title, practice, mandatory, kind, status, evidence, updated_by, updated_at)
       SELECT c.id, k.key, k.title, k.practice, k.mandatory, k.kind, k.status, k.evidence, k.updated_by, k.updated_at
       FROM bench_clones c, deliverable_criteria k WHERE k.deliverable_id = $1`,
      [template.id],
    );
    await client.query(
      `INSERT INTO audit_events (deliverable_id, seq, at, principal_id, action, from_status, to_status, data, prev_hash, hash)
       SELECT c.id, a.seq, a.at, a.principal_id, a.action, a.from_status, a.to_status, a.data, a.prev_hash, a.hash
       FROM bench_clones c, audit_events a WHERE a.deliverable_id = $1`,
      [template.id],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  await sql.query('ANALYZE deliverables, deliverable_criteria, audit_events');
  const pgAfterDeliverables = await tableBytes(sql);
  const cloneSeconds = (now() - t0) / 1000;

  // The main pass: the raw window first, then Baton's (its jobs published before its window opens).
  const raw = await rawPass(ctx, {
    count: timerCount,
    windowMs,
    drainMs,
    measureMemory: redis !== null,
    redis: reader,
    fireOptions,
    rate,
  });
  log(
    `timers raw BullMQ: lateness p50 ${round(raw.lateness.p50)} ms, p99 ${round(raw.lateness.p99)} ms, max ${round(raw.lateness.max)} ms`,
  );
  const leadMs = 3000 + (timerCount / 20_000) * 1000 + raw.publishSeconds * 2000;
  const baton = await batonPass(ctx, {
    service,
    template: template.id,
    befores,
    limit: deliverables,
    windowMs,
    drainMs,
    leadMs,
    storage: { redis },
  });
  log(
    `timers Baton: ${baton.fired}/${timerCount} fired, lateness p50 ${round(baton.lateness.p50)} ms, p99 ${round(baton.lateness.p99)} ms, max ${round(baton.lateness.max)} ms`,
  );

  // The light pass: fewer timers per second, on the same deliverables.
  const lightWindowMs = config.timerLightWindowS * 1000;
  const lightCount = Math.max(3, Math.round((config.timerLightRate * lightWindowMs) / 1000 / 3) * 3);
  const rawLight = await rawPass(ctx, {
    count: lightCount,
    windowMs: lightWindowMs,
    drainMs,
    measureMemory: false,
    redis: reader,
    fireOptions,
    rate,
  });
  const batonLight = await batonPass(ctx, {
    service,
    template: template.id,
    befores,
    limit: lightCount / 3,
    windowMs: lightWindowMs,
    drainMs,
    leadMs: 3000,
  });
  log(
    `timers light pass (${config.timerLightRate}/s): p99 Baton ${round(batonLight.lateness.p99)} ms, raw ${round(rawLight.lateness.p99)} ms`,
  );
  reader.disconnect();

  const perDeliverable =
    ['deliverables', 'deliverable_criteria', 'audit_events'].reduce(
      (sum, name) => sum + pgAfterDeliverables[name] - pgBefore[name],
      0,
    ) / deliverables;
  const perTimer =
    ['timers', 'outbox'].reduce((sum, name) => sum + baton.pgAfter[name] - pgAfterDeliverables[name], 0) /
    timerCount;
  return {
    unit: 'lateness in ms (fire time - due time)',
    scale: config.scale,
    deliverables,
    timers: timerCount,
    windowSeconds: config.timerWindowS,
    ratePerSecond: timerCount / config.timerWindowS,
    issueRatePerSecond: 300_000 / 180,
    baton: {
      ...baton,
      setupSeconds: { clone: cloneSeconds, ...baton.setupSeconds },
      postgres: {
        bytesPerDeliverable: perDeliverable,
        bytesPerTimer: perTimer,
        tables: Object.fromEntries(
          TABLES.map((name) => [
            name,
            {
              before: pgBefore[name],
              afterDeliverables: pgAfterDeliverables[name],
              afterTimers: baton.pgAfter[name],
            },
          ]),
        ),
      },
    },
    limit: raw,
    ratioP99: baton.lateness.p99 / raw.lateness.p99,
    light: {
      timers: lightCount,
      windowSeconds: config.timerLightWindowS,
      ratePerSecond: lightCount / config.timerLightWindowS,
      baton: batonLight,
      limit: rawLight,
      ratioP99: batonLight.lateness.p99 / rawLight.lateness.p99,
    },
  };
}
