import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Redis } from 'ioredis';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import { unique } from '../support/fixtures.js';
import { ApiClient } from '../support/http-client.js';
import { scratchDatabase } from '../support/scratch-database.js';
import {
  auditDeliverables,
  batonEnv,
  compareEvents,
  elsFlow,
  faultPrefix,
  ok,
  QUEUES,
  readinessFlow,
  report,
  type Scene,
  setUpScene,
  SlowReceiver,
  waitUntilSettled,
  withDb,
} from './fault-kit.js';
import { type PrivateRedis, startPrivateRedis } from './private-services.js';

const FLUSHES = 3;
const RECOVERY_MS = 60_000;

/**
 * One Baton (api and worker) on a Redis of the test's own, reconciling every 300 ms. Timers are scheduled
 * (readiness reminders, ELS period ends and follow-ups, decision SLAs) and every webhook delivery is pending
 * (the receiver refuses each event's first attempt, so its retry waits in BullMQ's delayed set) when Redis
 * forgets everything: FLUSHALL three times, each in the middle of a burst of commands, nothing restarted.
 */
describe('FLUSHALL on Redis in the middle of scheduled timers and pending deliveries', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let redis: PrivateRedis;
  let redisClient: Redis;
  let baton: BatonProcess;
  let scene: Scene;
  let prefix: string;
  const receiver = new SlowReceiver();

  beforeAll(async () => {
    receiver.delayMs = () => 20 + Math.random() * 60;
    receiver.status = (attempt) => (attempt === 1 ? 503 : 200);
    const hooks = await receiver.start();
    redis = await startPrivateRedis();
    redisClient = redis.client();
    scratch = await scratchDatabase();
    prefix = faultPrefix();
    baton = await startBaton({
      env: batonEnv({
        DATABASE_URL: scratch.url,
        REDIS_URL: redis.url,
        BATON_QUEUE_PREFIX: prefix,
        BATON_RECONCILE_INTERVAL_MS: '300',
        BATON_WEBHOOK_BACKOFF_MS: '1500',
      }),
    });
    scene = await setUpScene(new ApiClient(baton.url, baton.adminToken), hooks, {
      readinessReminders: ['PT14S', 'PT10S', 'PT6S'],
      elsDuration: 'PT6S',
      elsFollowUpEvery: 'PT4S',
      elsExitSla: 'PT3S',
    });
  });

  afterAll(async () => {
    await baton?.stop();
    await redisClient?.quit();
    await redis?.close();
    await scratch?.drop();
    await receiver.stop();
  });

  /**
   * FLUSHALL in a Lua script that first reads what BullMQ holds, so what it reports is exactly what was
   * destroyed. With `onlyWithEventsWaiting`, it flushes only while event jobs wait in the notifications
   * queue (and returns null otherwise): the moment the relay has published events the worker has not run.
   */
  async function flushAll(
    onlyWithEventsWaiting: boolean,
  ): Promise<{ counts: Record<string, number>; eventJobs: string[] } | null> {
    const states = ['wait', 'active', 'delayed', 'prioritized'];
    const keys = QUEUES.flatMap((queue) => states.map((state) => `${prefix}:${queue}:${state}`));
    const result = (await redisClient.eval(
      `if ARGV[1] == '1' and redis.call('LLEN', KEYS[1]) == 0 then return false end
       local out = {}
       for i = 1, #KEYS, 4 do
         out[#out + 1] = redis.call('LRANGE', KEYS[i], 0, -1)
         out[#out + 1] = redis.call('LRANGE', KEYS[i + 1], 0, -1)
         out[#out + 1] = redis.call('ZRANGE', KEYS[i + 2], 0, -1)
         out[#out + 1] = redis.call('ZRANGE', KEYS[i + 3], 0, -1)
       end
       redis.call('FLUSHALL')
       return out`,
      keys.length,
      ...keys,
      onlyWithEventsWaiting ? '1' : '0',
    )) as string[][] | null;
    if (!result) return null;
    const counts: Record<string, number> = {};
    const eventJobs: string[] = [];
    QUEUES.forEach((queue, index) => {
      states.forEach((state, offset) => {
        const ids = result[index * 4 + offset] ?? [];
        if (ids.length > 0) counts[`${queue}:${state}`] = ids.length;
        if (queue === 'notifications') eventJobs.push(...ids);
      });
    });
    return { counts, eventJobs };
  }

  it(`loses nothing across ${FLUSHES} FLUSHALLs, recovering within ${RECOVERY_MS / 1000} s without a restart`, async () => {
    const started = Date.now();
    const readiness = await Promise.all(Array.from({ length: 10 }, () => readinessFlow(scene, 16_000)));
    const els = await Promise.all(Array.from({ length: 4 }, () => elsFlow(scene, false)));
    const withIncident = await Promise.all(Array.from({ length: 2 }, () => elsFlow(scene, true)));
    // Drafts put on hold and resumed in bursts: each command is a status change, so an event to deliver.
    const churn = await Promise.all(
      Array.from({ length: 16 }, async () => {
        const created = await ok(
          scene.pmo.post('/v1/deliverables', {
            projectId: scene.projectId,
            serviceId: scene.readinessService,
            title: unique('churn'),
            changeType: 'minor_change',
            targetGoLive: new Date(Date.now() + 86_400_000).toISOString(),
          }),
          'create',
        );
        return { id: created.id as string, held: false };
      }),
    );
    const burst = () =>
      churn.map(async (item) => {
        const path = `/v1/deliverables/${item.id}/${item.held ? 'resume' : 'hold'}`;
        await ok(scene.pmo.post(path, item.held ? {} : { reason: 'fault test' }), path);
        item.held = !item.held;
      });

    const flushes: { atMs: number; bursts: number; counts: Record<string, number>; eventJobs: string[] }[] =
      [];
    for (let flush = 1; flush <= FLUSHES; flush++) {
      await sleep(flush === 1 ? 1500 : 3500);
      // In the middle of a burst of commands, as soon as their events wait in Redis for the worker (up to
      // 10 bursts; then flush anyway).
      let destroyed: Awaited<ReturnType<typeof flushAll>> = null;
      let bursts = 0;
      while (!destroyed && bursts < 10) {
        bursts++;
        const commands = Promise.all(burst());
        const burstState = { answered: false };
        commands.then(
          () => (burstState.answered = true),
          () => (burstState.answered = true), // the error is reported by the await below
        );
        while (!destroyed && !burstState.answered) destroyed = await flushAll(true);
        await commands;
      }
      destroyed ??= await flushAll(false);
      flushes.push({ atMs: Date.now() - started, bursts, ...destroyed! });
    }
    const lastFlush = Date.now();
    for (const id of withIncident) {
      await ok(scene.smo.post(`/v1/deliverables/${id}/incidents/INC-1/resolve`), 'resolve');
    }
    await Promise.all(
      churn
        .filter((item) => item.held)
        .map(async (item) => {
          await ok(scene.pmo.post(`/v1/deliverables/${item.id}/resume`, {}), 'resume');
          item.held = false;
        }),
    );

    const settled = await waitUntilSettled(scratch.url, receiver, RECOVERY_MS, true);
    const recoveredMs = Date.now() - lastFlush;
    const all = [...readiness, ...els, ...withIncident, ...churn.map((item) => item.id)];
    const audit = await auditDeliverables(scene.pmo, all, receiver.received);
    const events = compareEvents(settled.state, receiver);
    const received = receiver.ids();
    const destroyedEvents = flushes.flatMap((flush) => flush.eventJobs);
    const lostEvents = destroyedEvents.filter((id) => !received.has(id));
    const lateness = await withDb(scratch.url, async (client) => {
      const rows = await client.query(
        `SELECT kind, max(extract(epoch FROM sent_at - due_at) * 1000)::int AS ms, count(*)::int AS n
         FROM timers WHERE status = 'sent' GROUP BY kind ORDER BY kind`,
      );
      return Object.fromEntries(
        rows.rows.map((row) => [row.kind, `${row.n} sent, latest ${row.ms} ms late`]),
      );
    });
    report('FLUSHALL Redis', {
      flushes: flushes.map(
        (flush) =>
          `at ${(flush.atMs / 1000).toFixed(1)} s (burst ${flush.bursts}) destroyed ${JSON.stringify(flush.counts)}`,
      ),
      'event jobs destroyed in the notifications queue': destroyedEvents.length,
      'of which never delivered': lostEvents.length,
      'recovered (settled) after the last flush (s)': `${(recoveredMs / 1000).toFixed(1)}${settled.settled ? '' : ' (NOT settled)'}`,
      'timers: due / sent / cancelled': `${audit.timersDue} / ${audit.timersSent} / ${audit.timersCancelled}`,
      'timer lateness': lateness,
      'ELS transitions': `${audit.elsTransitions}, of which ${audit.extensions} extensions`,
      'events expected (outbox) / from history+timers': `${events.expected} / ${audit.expectedEvents}`,
      'events: distinct received / requests': `${events.distinctReceived} / ${events.requests}`,
      'missing events': events.missing.length,
      'outbox unpublished / deliveries pending / dead': `${settled.state.unpublished} / ${settled.state.pendingDeliveries} / ${settled.state.deadDeliveries}`,
      'overdue timers still scheduled': settled.state.overdueTimers,
      problems: audit.problems.length ? audit.problems.slice(0, 20) : 'none',
    });

    expect(lostEvents).toEqual([]);
    expect(events.missing).toEqual([]);
    expect(audit.problems).toEqual([]);
    expect(events.unexpected).toEqual([]);
    expect(events.expected).toBe(audit.expectedEvents);
    expect(settled.state.unpublished).toBe(0);
    expect(settled.state.overdueTimers).toBe(0);
    expect(settled.state.pendingDeliveries).toBe(0);
    expect(settled.state.deadDeliveries).toBe(0);
    expect(settled.settled).toBe(true);
  });
});
