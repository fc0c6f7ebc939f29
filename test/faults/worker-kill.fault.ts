import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Redis } from 'ioredis';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import { ApiClient } from '../support/http-client.js';
import { scratchDatabase } from '../support/scratch-database.js';
import {
  activeJobIds,
  auditDeliverables,
  batonEnv,
  compareEvents,
  expectNothingLost,
  elsFlow,
  failedJobs,
  faultPrefix,
  ok,
  readDbState,
  readinessFlow,
  report,
  type Scene,
  setUpScene,
  SlowReceiver,
  startWorker,
  waitUntilSettled,
  warnings,
  type WorkerProcess,
} from './fault-kit.js';
import { type PrivateRedis, startPrivateRedis } from './private-services.js';

const KILLS = 14;
/** New deliverables stop after this (the kills go on: ELS periods, follow-ups and webhooks keep jobs coming). */
const LOAD_MS = 40_000;
const SETTLE_MS = 150_000;

/**
 * The api and a worker as separate processes on one database and one Redis. While deliverables are
 * created and walked into readiness (reminders due seconds away) and early life support (a period of 3 s,
 * follow-ups every second, extensions while a P1 is open), the worker is killed with SIGKILL 14 times at
 * random moments and started again. Webhooks go to a receiver that takes 100-300 ms to answer.
 */
describe('kill -9 the worker while jobs are in flight', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let redis: PrivateRedis;
  let redisClient: Redis;
  let api: BatonProcess;
  let worker: WorkerProcess;
  let env: Record<string, string>;
  let scene: Scene;
  let prefix: string;
  let workerOutput = '';
  const receiver = new SlowReceiver();

  beforeAll(async () => {
    receiver.delayMs = () => 100 + Math.random() * 200;
    const hooks = await receiver.start();
    redis = await startPrivateRedis();
    redisClient = redis.client();
    scratch = await scratchDatabase();
    prefix = faultPrefix();
    env = batonEnv({
      DATABASE_URL: scratch.url,
      REDIS_URL: redis.url,
      BATON_QUEUE_PREFIX: prefix,
      BATON_RECONCILE_INTERVAL_MS: '1000',
    });
    api = await startBaton({ app: 'api', env });
    worker = await startWorker(env);
    scene = await setUpScene(new ApiClient(api.url, api.adminToken), hooks, {
      readinessReminders: ['PT16S', 'PT12S', 'PT8S', 'PT4S'],
      elsDuration: 'PT3S',
      elsFollowUpEvery: 'PT1S',
      elsExitSla: 'PT3S',
    });
  });

  afterAll(async () => {
    await worker?.kill('SIGINT');
    await api?.stop();
    await redisClient?.quit();
    await redis?.close();
    await scratch?.drop();
    await receiver.stop();
  });

  it(`loses no timer, doubles no transition and delivers every event after ${KILLS} SIGKILLs`, async () => {
    const readiness: string[] = [];
    const els: string[] = [];
    const withIncident: string[] = [];
    const apiErrors: string[] = [];
    const kills: { aliveMs: number; activeJobs: number; receiverInFlight: number; restartMs: number }[] = [];
    // Jobs a killed worker held stay in BullMQ's active list until their lock expires (30 s) and a stalled
    // check puts them back: the jobs in flight at a kill are those active that were not left by an earlier one.
    const leftActive = new Set<string>();
    let peakLeftActive = 0;
    const started = Date.now();

    // Load: a deliverable into readiness and one into ELS every 1.5 s, for 40 s or until the kills are done.
    let loading = true;
    const load = (async () => {
      const flows: Promise<void>[] = [];
      for (let n = 0; loading && Date.now() - started < LOAD_MS; n++) {
        flows.push(
          readinessFlow(scene, 20_000).then(
            (id) => void readiness.push(id),
            (error: Error) => void apiErrors.push(error.message),
          ),
          elsFlow(scene, n % 2 === 1).then(
            (id) => void (n % 2 === 1 ? withIncident : els).push(id),
            (error: Error) => void apiErrors.push(error.message),
          ),
        );
        await sleep(1500);
      }
      await Promise.all(flows);
    })();

    for (let kill = 1; kill <= KILLS; kill++) {
      const aliveMs = 300 + Math.floor(Math.random() * 2200);
      await sleep(aliveMs);
      const active = await activeJobIds(redisClient, prefix);
      const inFlight = receiver.inFlight;
      await worker.kill('SIGKILL');
      const held = active.filter((job) => !leftActive.has(job));
      for (const job of active) leftActive.add(job);
      peakLeftActive = Math.max(peakLeftActive, active.length);
      workerOutput += worker.output();
      const restarting = Date.now();
      worker = await startWorker(env);
      kills.push({
        aliveMs,
        activeJobs: held.length,
        receiverInFlight: inFlight,
        restartMs: Date.now() - restarting,
      });
    }
    loading = false;
    await load;
    const loadMs = Date.now() - started;

    // Quiet: the open P1s are resolved (their next period end goes to els_review), the worker restarted.
    for (const id of withIncident) {
      await ok(scene.smo.post(`/v1/deliverables/${id}/incidents/INC-1/resolve`), 'resolve');
    }
    await sleep(2000);
    await worker.kill('SIGINT');
    workerOutput += worker.output();
    worker = await startWorker(env);
    const settled = await waitUntilSettled(scratch.url, receiver, SETTLE_MS, true);
    // Freeze (a graceful stop finishes what is active), then read everything once.
    const stillActive = (await activeJobIds(redisClient, prefix)).length;
    await worker.kill('SIGINT');
    workerOutput += worker.output();
    const final = await readDbState(scratch.url);

    const all = [...readiness, ...els, ...withIncident];
    const audit = await auditDeliverables(scene.pmo, all, receiver.received);
    const events = compareEvents(final, receiver);
    const failed = await failedJobs(redisClient, prefix);
    report('kill -9 the worker', {
      kills: `${kills.length} SIGKILLs survived over ${Math.round(loadMs / 1000)} s`,
      'jobs held by the worker at each kill': kills.map((kill) => kill.activeJobs).join(' '),
      'jobs left active by killed workers (peak)': peakLeftActive,
      'webhook requests in flight at each kill': kills.map((kill) => kill.receiverInFlight).join(' '),
      'jobs in flight (sum over kills)': kills.reduce((sum, kill) => sum + kill.activeJobs, 0),
      'worker restart (ms, each)': kills.map((kill) => kill.restartMs).join(' '),
      deliverables: `${all.length} (${readiness.length} readiness, ${els.length + withIncident.length} ELS of which ${withIncident.length} extended by a P1)`,
      'api errors during the load': apiErrors.length,
      'settled after the load (s)': `${(settled.ms / 1000).toFixed(1)}${settled.settled ? '' : ' (NOT settled)'}`,
      'timers: due / sent / cancelled': `${audit.timersDue} / ${audit.timersSent} / ${audit.timersCancelled}`,
      'ELS transitions (els_period_elapsed)': `${audit.elsTransitions}, of which ${audit.extensions} extensions`,
      'events expected (outbox) / from history+timers': `${events.expected} / ${audit.expectedEvents}`,
      'events: distinct ids received / requests': `${events.distinctReceived} / ${events.requests}`,
      'duplicate deliveries (at-least-once)': `${events.duplicates.size} event ids seen more than once (${[...events.duplicates.values()].reduce((sum, n) => sum + n - 1, 0)} extra requests)`,
      'missing events': events.missing.length,
      'outbox unpublished / deliveries pending / dead': `${final.unpublished} / ${final.pendingDeliveries} / ${final.deadDeliveries}`,
      'overdue timers still scheduled': final.overdueTimers,
      'jobs BullMQ gave up on': failed.length ? failed.map((job) => `${job.queue}: ${job.reason}`) : 0,
      'jobs active when settled': stillActive,
      'ELS follow-ups that outlived ELS': final.orphans.length ? final.orphans : 0,
      'events of those orphans (not counted above)': events.orphanEvents,
      problems: audit.problems.length ? audit.problems.slice(0, 20) : 'none',
      'worker warnings': warnings(workerOutput),
    });

    expect(apiErrors).toEqual([]);
    expect(kills).toHaveLength(KILLS);
    expectNothingLost({ audit, events, final, settled });
    expect(final.orphans).toEqual([]);
  }, 300_000);
});
