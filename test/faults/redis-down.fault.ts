import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import { ApiClient } from '../support/http-client.js';
import { scratchDatabase } from '../support/scratch-database.js';
import {
  auditDeliverables,
  batonEnv,
  compareEvents,
  countBy,
  countUnpublished,
  faultPrefix,
  readinessFlow,
  report,
  type Sample,
  type Scene,
  setUpScene,
  SlowReceiver,
  waitUntilSettled,
  REMINDERS_ONLY,
} from './fault-kit.js';
import { isCommand, pollHealth, startLoad } from './load.js';
import { type PrivateRedis, startPrivateRedis } from './private-services.js';

const OUTAGE_MS = 8_000;
const DRAIN_BOUND_MS = 30_000;
const DELIVERY_BOUND_MS = 60_000;

/**
 * One Baton (api and worker) on a Redis of the test's own, under a steady load of commands. Redis is shut
 * down (SIGTERM: it writes its append-only file and exits; connections are refused) for 8 s and started
 * again on the same port and data. PostgreSQL is the source of truth: commands keep committing, their jobs
 * wait in the outbox, and drain when Redis is back.
 */
describe('Redis down for 8 s under load', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let redis: PrivateRedis;
  let baton: BatonProcess;
  let scene: Scene;
  const receiver = new SlowReceiver();

  beforeAll(async () => {
    receiver.delayMs = () => 10 + Math.random() * 40;
    const hooks = await receiver.start();
    redis = await startPrivateRedis();
    scratch = await scratchDatabase();
    baton = await startBaton({
      env: batonEnv({
        DATABASE_URL: scratch.url,
        REDIS_URL: redis.url,
        BATON_QUEUE_PREFIX: faultPrefix(),
        BATON_RECONCILE_INTERVAL_MS: '1000',
      }),
    });
    scene = await setUpScene(new ApiClient(baton.url, baton.adminToken), hooks, REMINDERS_ONLY);
  });

  afterAll(async () => {
    await baton?.stop();
    await redis?.close();
    await scratch?.drop();
    await receiver.stop();
  });

  it('keeps committing, queues the work in the outbox, answers /health 503, and drains when Redis returns', async () => {
    // Reminders due 6 s and 10 s from now: while Redis is down.
    const reminded = await Promise.all(Array.from({ length: 4 }, () => readinessFlow(scene, 16_000)));
    const load = await startLoad(scene, 6, 50);
    const health = pollHealth(new ApiClient(baton.url, null), 250);
    const backlog: { at: number; unpublished: number }[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        backlog.push({ at: Date.now(), unpublished: await countUnpublished(scratch.url) });
        await sleep(250);
      }
    })();

    await sleep(2000);
    const stopping = Date.now();
    await redis.stop('SIGTERM');
    const down = Date.now();
    await sleep(OUTAGE_MS);
    const starting = Date.now();
    await redis.start();
    const up = Date.now();
    await load.stop();
    const loadEnded = Date.now();

    const drainDeadline = up + DRAIN_BOUND_MS;
    while (Date.now() < drainDeadline && (backlog.at(-1)?.unpublished ?? 1) > 0) await sleep(100);
    sampling = false;
    await sampler;
    const drained = backlog.find((sample) => sample.at > up && sample.unpublished === 0);
    const healthDeadline = up + 30_000;
    const healthy = () => health.samples.find((sample) => sample.start >= up && sample.status === 200);
    while (Date.now() < healthDeadline && !healthy()) await sleep(100);
    await health.stop();
    const healthBack = healthy();

    const settled = await waitUntilSettled(scratch.url, receiver, DELIVERY_BOUND_MS, true);
    const deliveredMs = Date.now() - up;

    const duringLoad = load.samples.filter((sample) => sample.start >= down && sample.end <= starting);
    const commandsDuring = duringLoad.filter(isCommand);
    const failedCommands = commandsDuring.filter(
      (sample) => !(sample.status >= 200 && sample.status < 300) && sample.status !== 409,
    );
    // Health probes Redis with a 2 s timeout: while Redis is down each answer takes about 2 s.
    const healthDuring = health.samples.filter((sample) => sample.start >= down && sample.end <= starting);
    const healthWrong = healthDuring.filter((sample: Sample) => sample.status !== 503);
    const peak = Math.max(
      0,
      ...backlog.filter((sample) => sample.at <= up).map((sample) => sample.unpublished),
    );
    const all = [...load.owned, ...load.created, ...reminded];
    const audit = await auditDeliverables(scene.pmo, all, receiver.received);
    const events = compareEvents(settled.state, receiver);
    const errors = load.samples.filter((sample) => sample.status === 0 || sample.status >= 500);

    report('Redis down under load', {
      'outage (stopped to start issued)': `${((starting - down) / 1000).toFixed(1)} s (shutdown took ${down - stopping} ms, start ${up - starting} ms)`,
      'commands during the outage': countBy(commandsDuring, (sample) => String(sample.status)),
      'reads during the outage': countBy(
        duringLoad.filter((sample) => !isCommand(sample)),
        (sample) => String(sample.status),
      ),
      'command answer time during the outage (max ms)': Math.max(
        0,
        ...commandsDuring.map((sample) => sample.end - sample.start),
      ),
      '/health during the outage': countBy(healthDuring, (sample) => String(sample.status)),
      '/health answer time during the outage (max ms)': Math.max(
        0,
        ...healthDuring.map((sample) => sample.end - sample.start),
      ),
      'outbox backlog (peak unpublished rows)': peak,
      'backlog drained after Redis returned (s)': drained
        ? ((drained.at - up) / 1000).toFixed(1)
        : 'NOT drained',
      '/health 200 again after Redis returned (s)': healthBack
        ? ((healthBack.end - up) / 1000).toFixed(1)
        : 'never',
      'every event delivered after Redis returned (s)': `${(deliveredMs / 1000).toFixed(1)}${settled.settled ? '' : ' (NOT settled)'}`,
      'events expected / distinct received / missing': `${events.expected} / ${events.distinctReceived} / ${events.missing.length}`,
      'timers: due / sent / cancelled': `${audit.timersDue} / ${audit.timersSent} / ${audit.timersCancelled}`,
      '5xx or no answer from the load': errors.length,
      'load stopped (s after Redis returned)': ((loadEnded - up) / 1000).toFixed(1),
      problems: audit.problems.length ? audit.problems.slice(0, 20) : 'none',
    });

    expect(commandsDuring.length).toBeGreaterThan(20);
    expect(
      failedCommands.map((sample) => `${sample.label} ${sample.status} ${JSON.stringify(sample.body)}`),
    ).toEqual([]);
    expect(errors.map((sample) => `${sample.label} ${sample.status}`)).toEqual([]);
    expect(peak).toBeGreaterThan(0);
    expect(healthDuring.length).toBeGreaterThan(0);
    expect(healthWrong.map((sample) => sample.status)).toEqual([]);
    expect(drained).toBeDefined();
    expect(healthBack).toBeDefined();
    expect(events.missing).toEqual([]);
    expect(events.unexpected).toEqual([]);
    expect(audit.problems).toEqual([]);
    expect(settled.settled).toBe(true);
  });
});
