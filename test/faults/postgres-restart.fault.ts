import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import { ApiClient } from '../support/http-client.js';
import {
  auditDeliverables,
  batonEnv,
  compareEvents,
  countBy,
  faultPrefix,
  percentile,
  readinessFlow,
  report,
  type Sample,
  type Scene,
  setUpScene,
  SlowReceiver,
  waitUntilSettled,
  warnings,
  withDb,
} from './fault-kit.js';
import { isCommand, pollHealth, startLoad } from './load.js';
import {
  type PrivatePostgres,
  type PrivateRedis,
  startPrivatePostgres,
  startPrivateRedis,
} from './private-services.js';

const OUTAGE_MS = 10_000;
/** After PostgreSQL is back, every request must succeed within this. */
const RECOVERY_BOUND_MS = 10_000;
/** No answer may take longer than this, outage or not. */
const HANG_BOUND_MS = 6_000;

/**
 * One Baton (api and worker) on a PostgreSQL of the test's own, under a steady load of reads and commands
 * from 6 clients. PostgreSQL is stopped (immediate mode: every connection dropped, as in a crash) for
 * 10 s and started again on the same port and data directory; Baton is not restarted.
 */
describe('PostgreSQL stopped for 10 s under load', () => {
  let postgres: PrivatePostgres;
  let redis: PrivateRedis;
  let baton: BatonProcess;
  let scene: Scene;
  const receiver = new SlowReceiver();

  beforeAll(async () => {
    const hooks = await receiver.start();
    [postgres, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
    baton = await startBaton({
      env: batonEnv({ DATABASE_URL: postgres.url, REDIS_URL: redis.url, BATON_QUEUE_PREFIX: faultPrefix() }),
    });
    scene = await setUpScene(new ApiClient(baton.url, baton.adminToken), hooks, {
      readinessReminders: ['PT12S', 'PT8S'],
      elsDuration: 'P1D',
      elsFollowUpEvery: 'P1D',
      elsExitSla: 'PT1H',
    });
  }, 120_000);

  afterAll(async () => {
    await baton?.stop();
    await redis?.close();
    await postgres?.close();
    await receiver.stop();
  });

  it('answers 503 with Retry-After while it is down, recovers without a restart, half-writes nothing', async () => {
    // Reminders due 8 s and 12 s from now: during the outage. They must fire once, after it.
    const reminded = await Promise.all(Array.from({ length: 4 }, () => readinessFlow(scene, 20_000)));
    const load = await startLoad(scene, 6, 50);
    const health = pollHealth(new ApiClient(baton.url, null), 200);

    await sleep(3000);
    const stopping = Date.now();
    await postgres.stop('immediate');
    const down = Date.now();
    await sleep(OUTAGE_MS);
    const starting = Date.now();
    await postgres.start();
    const up = Date.now();

    // Until every client has had a command succeed and /health says 200, then 5 s more of load.
    const succeeded = (samples: Sample[], from: number) =>
      samples.find((sample) => sample.start >= from && sample.status >= 200 && sample.status < 300);
    const deadline = up + 30_000;
    while (
      Date.now() < deadline &&
      !(succeeded(health.samples, up) && succeeded(load.samples.filter(isCommand), up))
    ) {
      await sleep(100);
    }
    await sleep(5000);
    await load.stop();
    await health.stop();
    const ended = Date.now();

    const all = [...load.samples, ...health.samples];
    const during = all.filter((sample) => sample.start >= down && sample.end <= starting);
    const wrongDuring = during.filter((sample) => sample.status !== 503 || !sample.retryAfter);
    const errors = all.filter(
      (sample) => sample.status === 0 || (sample.status >= 500 && sample.status !== 503),
    );
    const slow = all.filter((sample) => sample.end - sample.start > HANG_BOUND_MS);
    const healthBack = succeeded(health.samples, up);
    const commandBack = succeeded(load.samples.filter(isCommand), up);
    const lastFailure = Math.max(
      up,
      ...all.filter((sample) => sample.start >= up && sample.status >= 500).map((sample) => sample.end),
    );
    const afterRecovery = all.filter((sample) => sample.start >= up + RECOVERY_BOUND_MS);
    const failedAfter = afterRecovery.filter(
      (sample) => !(sample.status >= 200 && sample.status < 300) && sample.status !== 409,
    );

    // Consistency: nothing half-written, every timer that came due during the outage fired once after it.
    const settled = await waitUntilSettled(postgres.url, receiver, 45_000, true);
    const ids = await withDb(postgres.url, async (client) =>
      (await client.query(`SELECT id FROM deliverables ORDER BY created_at`)).rows.map(
        (row) => row.id as string,
      ),
    );
    const counters = await withDb(
      postgres.url,
      async (client) =>
        (
          await client.query(
            `SELECT count(*) FILTER (WHERE d.version <> a.n OR d.audit_seq <> a.n)::int AS bad, count(*)::int AS n
             FROM deliverables d JOIN (SELECT deliverable_id, count(*)::int AS n FROM audit_events GROUP BY 1) a
               ON a.deliverable_id = d.id`,
          )
        ).rows[0] as { bad: number; n: number },
    );
    const audit = await auditDeliverables(scene.pmo, ids, receiver.received);
    const events = compareEvents(settled.state, receiver);
    const remindersSent = await withDb(
      postgres.url,
      async (client) =>
        (
          await client.query(
            `SELECT count(*)::int AS n FROM timers WHERE kind = 'readiness' AND status = 'sent' AND deliverable_id = ANY($1::uuid[])`,
            [reminded],
          )
        ).rows[0].n as number,
    );

    const durations = during.map((sample) => sample.end - sample.start);
    report('PostgreSQL stopped under load', {
      'outage (stop returned to start issued)': `${((starting - down) / 1000).toFixed(1)} s (pg_ctl stop took ${down - stopping} ms, start ${up - starting} ms)`,
      'requests in total / during the outage': `${all.length} / ${during.length}`,
      'answers during the outage': countBy(
        during,
        (sample) => `${sample.status}${sample.retryAfter ? ` Retry-After ${sample.retryAfter}` : ''}`,
      ),
      'answer time during the outage (p50 / p99 / max ms)': `${percentile(durations, 50)} / ${percentile(durations, 99)} / ${Math.max(0, ...durations)}`,
      'answers overall': countBy(all, (sample) => String(sample.status)),
      '500s or no answer': errors
        .map((sample) => `${sample.label} ${sample.status} ${sample.error ?? JSON.stringify(sample.body)}`)
        .slice(0, 10),
      'slower than 6 s': slow.map((sample) => `${sample.label} ${sample.end - sample.start} ms`).slice(0, 10),
      'recovery after PostgreSQL accepted connections': {
        health200Ms: healthBack ? healthBack.end - up : null,
        firstCommandMs: commandBack ? commandBack.end - up : null,
        lastFailureMs: lastFailure - up,
      },
      'failures more than 10 s after it was back': failedAfter.length,
      'deliverables checked (version == audit events, chain)': `${ids.length} (${counters.bad} with version or audit_seq != audit events)`,
      'reminders due during the outage, sent after': `${remindersSent} of ${reminded.length * 2}`,
      'events expected / distinct received / missing': `${events.expected} / ${events.distinctReceived} / ${events.missing.length}`,
      'settled after the load (s)': `${(settled.ms / 1000).toFixed(1)}${settled.settled ? '' : ' (NOT settled)'}`,
      'load ran (s)': ((ended - stopping + 3000) / 1000).toFixed(1),
      problems: audit.problems.length ? audit.problems.slice(0, 20) : 'none',
      'baton warnings': warnings(baton.output(), 8),
    });

    expect(
      errors.map(
        (sample) => `${sample.label} ${sample.status} ${sample.error ?? JSON.stringify(sample.body)}`,
      ),
    ).toEqual([]);
    expect(
      wrongDuring.map((sample) => `${sample.label} ${sample.status} retry-after=${sample.retryAfter}`),
    ).toEqual([]);
    expect(during.length).toBeGreaterThan(20);
    expect(slow.map((sample) => `${sample.label} ${sample.end - sample.start} ms`)).toEqual([]);
    expect(healthBack).toBeDefined();
    expect(commandBack).toBeDefined();
    expect(failedAfter.map((sample) => `${sample.label} ${sample.status}`)).toEqual([]);
    expect(counters.bad).toBe(0);
    expect(audit.problems).toEqual([]);
    expect(remindersSent).toBe(reminded.length * 2);
    expect(events.missing).toEqual([]);
    expect(settled.settled).toBe(true);
  });
});
