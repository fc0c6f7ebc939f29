// Part 1. Commands over HTTP (hold/resume cycles, each client on a deliverable of its own) against the same
// unit of work as raw SQL through `pg`: in one transaction, the versioned UPDATE of a deliverables row, the
// audit INSERT and the outbox INSERT, on copies of Baton's own tables (schema `raw` in the run's database,
// made with LIKE ... INCLUDING ALL, rows and JSON payloads copied from what Baton wrote).
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { backendsOf, CpuMeter, startBaton } from '../lib/proc.mjs';
import { Client, closedLoop, createDeliverable, createService } from '../lib/http.mjs';
import { log, median, summarize, waitUntil } from '../lib/util.mjs';

const HASH = 'f'.repeat(64);

async function prepareRaw(sql, ids) {
  await sql.query(`DROP SCHEMA IF EXISTS raw CASCADE`);
  await sql.query(`CREATE SCHEMA raw`);
  await sql.query(`CREATE TABLE raw.deliverables (LIKE public.deliverables INCLUDING ALL)`);
  await sql.query(`CREATE TABLE raw.audit_events (LIKE public.audit_events INCLUDING ALL)`);
  await sql.query(
    `ALTER TABLE raw.audit_events ADD FOREIGN KEY (deliverable_id) REFERENCES raw.deliverables (id)`,
  );
  await sql.query(`CREATE TABLE raw.outbox (LIKE public.outbox INCLUDING ALL)`);
  await sql.query(
    `INSERT INTO raw.deliverables SELECT * FROM public.deliverables WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  const rows = (
    await sql.query(`SELECT id, version, audit_seq FROM raw.deliverables WHERE id = ANY($1::uuid[])`, [ids])
  ).rows;
  return new Map(rows.map((row) => [row.id, { version: row.version, seq: row.audit_seq }]));
}

/** What Baton itself wrote for one hold and one resume: the raw side writes the same bytes. */
async function capturePayloads(sql, id) {
  const snapshots = (await sql.query(`SELECT snapshot, status FROM public.deliverables WHERE id = $1`, [id]))
    .rows[0];
  const audit = (
    await sql.query(
      `SELECT action, from_status, to_status, data FROM public.audit_events WHERE deliverable_id = $1 AND action IN ('hold', 'resume') ORDER BY seq DESC LIMIT 2`,
      [id],
    )
  ).rows;
  const outbox = (
    await sql.query(
      `SELECT queue, job_name, payload FROM public.outbox WHERE deliverable_id = $1 ORDER BY created_at DESC LIMIT 1`,
      [id],
    )
  ).rows[0];
  return { snapshot: snapshots.snapshot, status: snapshots.status, audit, outbox };
}

/** CPU milliseconds per operation of each process group. */
export function perOperation(cpu, completed) {
  return Object.fromEntries(
    Object.entries(cpu).map(([name, seconds]) => [name, (1000 * seconds) / Math.max(1, completed)]),
  );
}

/** The median of each key over a list of objects of numbers. */
export function medianOf(list) {
  const keys = Object.keys(list[0] ?? {});
  return Object.fromEntries(keys.map((key) => [key, median(list.map((item) => item[key]))]));
}

export async function runCommands(ctx) {
  const { api, sql, config, sampler } = ctx;
  const levels = config.commandLevels;
  const maxLanes = Math.max(...levels);
  const serviceId = await createService(ctx.world.smo.client, 4);
  const pmo = ctx.world.pmo.client;
  const ids = [];
  for (let i = 0; i < maxLanes; i++)
    ids.push((await createDeliverable(pmo, { projectId: ctx.world.projectId, serviceId })).id);
  const held = new Array(maxLanes).fill(false);

  const batonOperation = async (lane) => {
    const id = ids[lane];
    const response = held[lane]
      ? await pmo.post(`/v1/deliverables/${id}/resume`, {})
      : await pmo.post(`/v1/deliverables/${id}/hold`, { reason: 'bench: hold/resume cycle' });
    if (response.status !== 200)
      throw new Error(
        `${held[lane] ? 'resume' : 'hold'}: ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`,
      );
    held[lane] = !held[lane];
  };

  // One cycle through Baton first, so the raw side copies real rows and payloads.
  await batonOperation(0);
  const heldPayload = await capturePayloads(sql, ids[0]);
  await batonOperation(0);
  const activePayload = await capturePayloads(sql, ids[0]);
  const state = await prepareRaw(sql, ids);
  const rawClients = [];
  for (let i = 0; i < maxLanes; i++) {
    const client = new pg.Client({ connectionString: ctx.db.url, application_name: 'bench-raw' });
    client.on('error', () => undefined);
    await client.connect();
    rawClients.push(client);
  }
  const rawHeld = new Array(maxLanes).fill(false);
  const rawOperation = async (lane) => {
    const client = rawClients[lane];
    const id = ids[lane];
    const row = state.get(id);
    const to = rawHeld[lane] ? activePayload : heldPayload;
    const audit = to.audit[0] ?? { action: 'hold', from_status: 'draft', to_status: to.status, data: {} };
    const at = new Date();
    await client.query('BEGIN');
    try {
      const updated = await client.query({
        name: 'raw-update',
        text: `UPDATE raw.deliverables SET status = $2, snapshot = $3, version = version + 1, audit_seq = audit_seq + 1,
                 audit_hash = $4, updated_at = $5 WHERE id = $1 AND version = $6 RETURNING version, audit_seq`,
        values: [id, to.status, to.snapshot, HASH, at, row.version],
      });
      if (updated.rowCount !== 1) throw new Error('raw: version moved');
      await client.query({
        name: 'raw-audit',
        text: `INSERT INTO raw.audit_events (deliverable_id, seq, at, principal_id, action, from_status, to_status, data, prev_hash, hash)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        values: [
          id,
          updated.rows[0].audit_seq,
          at,
          ctx.world.pmo.id,
          audit.action,
          audit.from_status,
          audit.to_status,
          audit.data,
          HASH,
          HASH,
        ],
      });
      await client.query({
        name: 'raw-outbox',
        text: `INSERT INTO raw.outbox (id, deliverable_id, queue, job_name, payload, run_at, created_at) VALUES ($1, $2, $3, $4, $5, NULL, $6)`,
        values: [randomUUID(), id, to.outbox.queue, to.outbox.job_name, to.outbox.payload, at],
      });
      await client.query('COMMIT');
      row.version = updated.rows[0].version;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    rawHeld[lane] = !rawHeld[lane];
  };

  const unpublished = async () =>
    Number((await sql.query(`SELECT count(*) AS n FROM public.outbox WHERE published_at IS NULL`)).rows[0].n);
  const results = [];
  for (const concurrency of levels) {
    if (config.warmupMs > 0) {
      await closedLoop({ concurrency, durationMs: config.warmupMs, operation: batonOperation });
      await closedLoop({ concurrency, durationMs: config.warmupMs, operation: rawOperation });
    }
    const baton = [];
    const raw = [];
    const batonCpu = [];
    const rawCpu = [];
    const latencies = [];
    const backlog = [];
    let errors = 0;
    for (let round = 0; round < config.rounds; round++) {
      // Alternate the order so neither side always runs on the warmer (or the noisier) half.
      const order = round % 2 === 0 ? ['baton', 'raw'] : ['raw', 'baton'];
      for (const side of order) {
        if (side === 'baton') {
          const meter = await new CpuMeter({
            api: api.pid,
            worker: ctx.worker.pid,
            postgres: backendsOf(sql, ctx.db.name, 'baton'),
          }).start();
          sampler.phase = 'commands';
          const result = await closedLoop({
            concurrency,
            durationMs: config.roundMs,
            operation: batonOperation,
          });
          sampler.phase = 'between';
          batonCpu.push(perOperation(await meter.stop(), result.completed));
          baton.push(result.perSecond);
          latencies.push(...result.latencies);
          errors += result.errors;
          backlog.push(await unpublished());
          // Let the worker's relay catch up so the next round starts from an empty outbox.
          await waitUntil(async () => (await unpublished()) === 0, 'the outbox to drain', 60_000, 50).catch(
            () => undefined,
          );
        } else {
          const meter = await new CpuMeter({ postgres: backendsOf(sql, ctx.db.name, 'bench-raw') }).start();
          const result = await closedLoop({
            concurrency,
            durationMs: config.roundMs,
            operation: rawOperation,
          });
          rawCpu.push(perOperation(await meter.stop(), result.completed));
          raw.push(result.perSecond);
          errors += result.errors;
        }
      }
    }
    const latency = summarize(latencies);
    const entry = {
      concurrency,
      baton: summarize(baton),
      limit: summarize(raw),
      ratio: median(baton) / median(raw),
      ratioPerRound: baton.map((value, index) => value / raw[index]),
      batonLatencyMs: { p50: latency.median, p99: latency.p99, max: latency.max },
      cpuMsPerOperation: { baton: medianOf(batonCpu), limit: medianOf(rawCpu) },
      outboxBacklogAfterRound: backlog,
      errors,
    };
    log(
      `commands c=${concurrency}: Baton ${entry.baton.median.toFixed(0)}/s, raw SQL ${entry.limit.median.toFixed(0)}/s, ratio ${entry.ratio.toFixed(2)}`,
    );
    results.push(entry);
  }
  const single = await singleProcess(ctx, ids, held, rawOperation);
  await Promise.all(rawClients.map((client) => client.end()));
  ctx.commandFixture = { ids, held, batonOperation };
  const decomposition = await decompose(ctx, ids, held, results);
  return {
    unit: 'commands per second',
    operation: 'POST /v1/deliverables/:id/hold and /resume, alternately',
    levels: results,
    single,
    decomposition,
  };
}

/**
 * The same hold/resume cycles at 8 clients through `npm start`'s entry point: the api and the worker in one
 * process (the embedded default's shape), against the raw SQL unit in the same rounds. Its worker has a
 * queue prefix of its own, so the separate worker takes none of its jobs.
 */
async function singleProcess(ctx, ids, held, rawOperation) {
  const { config, sql } = ctx;
  const concurrency = Math.min(8, ids.length);
  const one = await startBaton({
    app: 'baton',
    env: { ...ctx.env, BATON_QUEUE_PREFIX: `${ctx.prefix}_one`, BATON_ADMIN_TOKEN: ctx.api.adminToken },
  });
  const client = new Client(one.url, ctx.world.pmo.token);
  const operation = async (lane) => {
    const id = ids[lane];
    const response = held[lane]
      ? await client.post(`/v1/deliverables/${id}/resume`, {})
      : await client.post(`/v1/deliverables/${id}/hold`, { reason: 'bench: hold/resume cycle' });
    if (response.status !== 200) throw new Error(`one process: ${response.status}`);
    held[lane] = !held[lane];
  };
  try {
    if (config.warmupMs > 0) await closedLoop({ concurrency, durationMs: config.warmupMs, operation });
    const baton = [];
    const raw = [];
    const batonCpu = [];
    for (let round = 0; round < config.rounds; round++) {
      for (const side of round % 2 === 0 ? ['baton', 'raw'] : ['raw', 'baton']) {
        if (side === 'baton') {
          const meter = await new CpuMeter({
            baton: one.pid,
            postgres: backendsOf(sql, ctx.db.name, 'baton'),
          }).start();
          const result = await closedLoop({ concurrency, durationMs: config.roundMs, operation });
          batonCpu.push(perOperation(await meter.stop(), result.completed));
          baton.push(result.perSecond);
        } else {
          raw.push(
            (await closedLoop({ concurrency, durationMs: config.roundMs, operation: rawOperation }))
              .perSecond,
          );
        }
      }
    }
    const entry = {
      concurrency,
      baton: summarize(baton),
      limit: summarize(raw),
      ratio: median(baton) / median(raw),
      ratioPerRound: baton.map((value, index) => value / raw[index]),
      cpuMsPerOperation: { baton: medianOf(batonCpu) },
    };
    log(
      `commands, one process (npm start), c=${concurrency}: Baton ${entry.baton.median.toFixed(0)}/s, raw SQL ${entry.limit.median.toFixed(0)}/s, ratio ${entry.ratio.toFixed(2)}`,
    );
    return entry;
  } finally {
    client.close();
    await one.stop();
  }
}

/**
 * Where the gap to raw SQL is: Baton's own command path (libs/commands HandoverCommands over the
 * libs/persistence stores: the same statements, the same domain code) run inside the bench process on a
 * plain `pg` pool, without HTTP, Nest, authentication or TypeORM; then the same with every statement
 * prepared (named by a hash of its text, as a statement cache would). The worker still relays the events.
 */
async function decompose(ctx, ids, held, levels) {
  const { config, sql } = ctx;
  const concurrency = levels.some((level) => level.concurrency === 8) ? 8 : levels.at(-1).concurrency;
  const { HandoverCommands } = await import('../../dist/libs/commands/src/index.js');
  const { DeliverableStore } = await import('../../dist/libs/persistence/src/stores/deliverable.store.js');
  const { TimerStore } = await import('../../dist/libs/persistence/src/stores/timer.store.js');
  const actor = { principalId: ctx.world.pmo.id, roles: ['pmo'] };
  const variant = async (prepared) => {
    const application = prepared ? 'bench-core-prepared' : 'bench-core';
    const pool = new pg.Pool({
      connectionString: ctx.db.url,
      max: concurrency,
      application_name: application,
    });
    pool.on('error', () => undefined);
    const names = new Map();
    const dataSource = {
      query: async (text, values) => {
        const query = { text, values };
        if (prepared) {
          if (!names.has(text))
            names.set(text, `s${createHash('sha1').update(text).digest('hex').slice(0, 20)}`);
          query.name = names.get(text);
        }
        return (await pool.query(query)).rows;
      },
    };
    const commands = new HandoverCommands({
      deliverables: new DeliverableStore(dataSource),
      timers: new TimerStore(dataSource),
    });
    const operation = async (lane) => {
      const command = held[lane] ? { type: 'resume' } : { type: 'hold', reason: 'bench: hold/resume cycle' };
      await commands.execute(ids[lane], command, actor);
      held[lane] = !held[lane];
    };
    if (config.warmupMs > 0) await closedLoop({ concurrency, durationMs: config.warmupMs, operation });
    const rounds = [];
    for (let round = 0; round < config.rounds; round++) {
      // The worker's backends count too (relaying and the event jobs), as they do for the HTTP rows.
      const meter = await new CpuMeter({
        worker: ctx.worker.pid,
        postgres: backendsOf(sql, ctx.db.name, application, 'baton-worker', 'baton-listen'),
      }).start();
      const result = await closedLoop({ concurrency, durationMs: config.roundMs / 2, operation });
      rounds.push({
        perSecond: result.perSecond,
        cpu: perOperation(await meter.stop(), result.completed),
        errors: result.errors,
      });
      await waitUntil(
        async () =>
          Number(
            (await sql.query(`SELECT count(*) AS n FROM outbox WHERE published_at IS NULL`)).rows[0].n,
          ) === 0,
        'the outbox to drain',
        60_000,
        50,
      ).catch(() => undefined);
    }
    await pool.end();
    return {
      perSecond: median(rounds.map((r) => r.perSecond)),
      cpuMsPerOperation: medianOf(rounds.map((r) => r.cpu)),
      errors: rounds.reduce((n, r) => n + r.errors, 0),
    };
  };
  const level = levels.find((entry) => entry.concurrency === concurrency);
  const core = await variant(false);
  const corePrepared = await variant(true);
  log(
    `commands decomposition c=${concurrency}: HTTP ${level.baton.median.toFixed(0)}/s, command path on pg ${core.perSecond.toFixed(0)}/s, prepared ${corePrepared.perSecond.toFixed(0)}/s, raw SQL ${level.limit.median.toFixed(0)}/s`,
  );
  return {
    concurrency,
    http: { perSecond: level.baton.median, cpuMsPerOperation: level.cpuMsPerOperation.baton },
    core,
    corePrepared,
    raw: { perSecond: level.limit.median, cpuMsPerOperation: level.cpuMsPerOperation.limit },
  };
}
