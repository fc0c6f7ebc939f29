import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Redis } from 'ioredis';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import { scratchDatabase } from '../support/scratch-database.js';
import {
  auditDeliverables,
  batonEnv,
  compareEvents,
  elsFlow,
  failedJobs,
  faultPrefix,
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
import { BalancedClient, Balancer } from './balancer.js';
import { type PrivateRedis, startPrivateRedis } from './private-services.js';

const APIS = 3;
const WORKERS = 2;
const SETTLE_MS = 120_000;
/**
 * Three apis and two workers on one PostgreSQL and one Redis, behind a balancer that follows their
 * readiness. While deliverables are created and walked into readiness (reminders seconds away) and early
 * life support (periods of 3 s, follow-ups every second), every process is replaced in turn by SIGTERM and
 * a new one: each api drains (unready, then refusing, its running requests finished), each worker hands
 * back what it could not finish. No request may fail unseen, no timer be lost or fire twice, no
 * transition run twice, no event go undelivered.
 */
describe('rolling restart of every process under load', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let redis: PrivateRedis;
  let redisClient: Redis;
  let env: Record<string, string>;
  let scene: Scene;
  const apis: BatonProcess[] = [];
  const workers: WorkerProcess[] = [];
  const balancer = new Balancer();
  const receiver = new SlowReceiver();
  let output = '';

  beforeAll(async () => {
    receiver.delayMs = () => 50 + Math.random() * 150;
    const hooks = await receiver.start();
    redis = await startPrivateRedis();
    redisClient = redis.client();
    scratch = await scratchDatabase();
    env = batonEnv({
      DATABASE_URL: scratch.url,
      REDIS_URL: redis.url,
      BATON_QUEUE_PREFIX: faultPrefix(),
      BATON_RECONCILE_INTERVAL_MS: '1000',
      // A little longer than the balancer needs to see an api unready: it serves until then.
      BATON_DRAIN_DELAY_MS: '500',
      // One admin for all: each api would otherwise make the admin's token its own at start.
      BATON_ADMIN_TOKEN: `fault_admin_${randomBytes(16).toString('hex')}`,
    });
    // The second api has no drain delay: it refuses before the balancer notices, so refusals are exercised.
    for (let n = 0; n < APIS; n++) {
      apis.push(await startBaton({ app: 'api', env: n === 1 ? { ...env, BATON_DRAIN_DELAY_MS: '0' } : env }));
    }
    for (let n = 0; n < WORKERS; n++) workers.push(await startWorker(env));
    for (const api of apis) balancer.add(api.url);
    balancer.startPolling();
    scene = await setUpScene(new BalancedClient(balancer, env.BATON_ADMIN_TOKEN), hooks, {
      readinessReminders: ['PT16S', 'PT12S', 'PT8S', 'PT4S'],
      elsDuration: 'PT3S',
      elsFollowUpEvery: 'PT1S',
      elsExitSla: 'PT3S',
    });
  });

  afterAll(async () => {
    balancer.stopPolling();
    await Promise.all(workers.map((worker) => worker.kill('SIGINT')));
    await Promise.all(apis.map((api) => api.stop()));
    await redisClient?.quit();
    await redis?.close();
    await scratch?.drop();
    await receiver.stop();
  });

  it('loses no request a client did not see refused, and no timer, transition or event', async () => {
    const created: string[] = [];
    const flowErrors: string[] = [];
    const restarts: { process: string; stopMs: number; exit: number | null }[] = [];
    let loading = true;
    const load = (async () => {
      const flows: Promise<void>[] = [];
      for (let n = 0; loading; n++) {
        flows.push(
          readinessFlow(scene, 20_000).then(
            (id) => void created.push(id),
            (error: Error) => void flowErrors.push(error.message),
          ),
          elsFlow(scene, false).then(
            (id) => void created.push(id),
            (error: Error) => void flowErrors.push(error.message),
          ),
        );
        await sleep(400);
      }
      await Promise.all(flows);
    })();

    await sleep(3000);
    for (let n = 0; n < APIS; n++) {
      const old = apis[n];
      const stopping = Date.now();
      const exit = await old.stop('SIGTERM');
      restarts.push({ process: `api ${n + 1}`, stopMs: Date.now() - stopping, exit });
      output += old.output();
      balancer.remove(old.url);
      apis[n] = await startBaton({ app: 'api', env });
      balancer.add(apis[n].url);
      await sleep(1500);
    }
    for (let n = 0; n < WORKERS; n++) {
      const old = workers[n];
      const stopping = Date.now();
      await old.kill('SIGTERM');
      restarts.push({ process: `worker ${n + 1}`, stopMs: Date.now() - stopping, exit: old.child.exitCode });
      output += old.output();
      workers[n] = await startWorker(env);
      await sleep(1500);
    }
    loading = false;
    await load;

    const settled = await waitUntilSettled(scratch.url, receiver, SETTLE_MS, true);
    const final = await readDbState(scratch.url);
    const audit = await auditDeliverables(scene.pmo, created, receiver.received, { concurrentMs: 2000 });
    const events = compareEvents(final, receiver);
    const failed = await failedJobs(redisClient, env.BATON_QUEUE_PREFIX);
    const { counts } = balancer;
    report('rolling restart of 3 apis and 2 workers', {
      requests: counts.requests,
      'refused with 503 SERVICE.STOPPING, sent again elsewhere': counts.refused,
      'connections refused, sent again elsewhere': counts.connectionRefused,
      'lost (failed unseen)': counts.lost.length ? counts.lost.slice(0, 10) : 0,
      'flows that failed': flowErrors.length ? flowErrors.slice(0, 10) : 0,
      restarts: restarts.map((restart) => `${restart.process} ${restart.stopMs} ms (exit ${restart.exit})`),
      deliverables: created.length,
      'transitions (status changes in the histories)': audit.statusEvents,
      'ELS follow-ups sent while their period end was committed by another worker': audit.concurrentFollowUps,
      'timers: due / sent / cancelled': `${audit.timersDue} / ${audit.timersSent} / ${audit.timersCancelled}`,
      'events expected / distinct received / duplicates': `${events.expected} / ${events.distinctReceived} / ${events.duplicates.size}`,
      'missing events': events.missing.length,
      'settled after the load (s)': `${(settled.ms / 1000).toFixed(1)}${settled.settled ? '' : ' (NOT settled)'}`,
      'jobs BullMQ gave up on': failed.length ? failed.map((job) => `${job.queue}: ${job.reason}`) : 0,
      problems: audit.problems.length ? audit.problems.slice(0, 20) : 'none',
      warnings: warnings(output),
    });

    expect(counts.lost).toEqual([]);
    expect(flowErrors).toEqual([]);
    expect(restarts.map((restart) => restart.exit)).toEqual([0, 0, 0, 0, 0]);
    expect(audit.problems).toEqual([]);
    expect(events.missing).toEqual([]);
    expect(events.unexpected).toEqual([]);
    expect(events.distinctReceived).toBe(events.expected);
    expect(events.expected).toBe(audit.expectedEvents);
    expect(final.unpublished).toBe(0);
    expect(final.overdueTimers).toBe(0);
    expect(final.pendingDeliveries).toBe(0);
    expect(final.deadDeliveries).toBe(0);
    expect(settled.settled).toBe(true);
  }, 300_000);
});
