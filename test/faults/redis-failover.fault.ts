import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import { ApiClient } from '../support/http-client.js';
import {
  type LocalCluster,
  type LocalSentinels,
  skipWithoutRedisServer,
  startRedisCluster,
  startRedisSentinels,
} from '../support/redis-topology.js';
import { scratchDatabase } from '../support/scratch-database.js';
import {
  auditDeliverables,
  batonEnv,
  compareEvents,
  expectNothingLost,
  faultPrefix,
  ok,
  readDbState,
  readinessFlow,
  report,
  type Scene,
  setUpScene,
  SlowReceiver,
  waitUntilSettled,
  REMINDERS_ONLY,
} from './fault-kit.js';
import { isCommand, startLoad } from './load.js';

const skip = skipWithoutRedisServer('the Redis failover tests');
const SETTLE_BOUND_MS = 60_000;
/** Reminders 10 s and 6 s before go-lives 11 to 18 s away: due from 1 s to 12 s after the start. */
const GO_LIVES_MS = [11_000, 12_000, 13_000, 14_000, 15_000, 16_000, 17_000, 18_000];

interface Topology {
  env: Record<string, string>;
  /** Takes the queues' master away; resolves once another serves their slot, with what happened. */
  failover(prefix: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * One Baton (api and worker) under a steady load of commands, with reminders coming due every second, when
 * the Redis master holding the queues goes away and a replica takes over. The pause of events (the longest
 * silence at the webhook receiver) and of timers (the latest reminder against its due time) is measured;
 * every event and every timer must arrive, each once.
 */
function failoverUnderLoad(title: string, start: () => Promise<Topology>): void {
  (skip ? describe.skip : describe)(title, () => {
    let topology: Topology;
    let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
    let baton: BatonProcess;
    let scene: Scene;
    const prefix = faultPrefix();
    const receiver = new SlowReceiver();

    beforeAll(async () => {
      receiver.delayMs = () => 10 + Math.random() * 30;
      const hooks = await receiver.start();
      topology = await start();
      scratch = await scratchDatabase();
      baton = await startBaton({
        env: batonEnv({
          DATABASE_URL: scratch.url,
          REDIS_URL: '',
          BATON_QUEUE_PREFIX: prefix,
          BATON_RECONCILE_INTERVAL_MS: '1000',
          ...topology.env,
        }),
      });
      scene = await setUpScene(new ApiClient(baton.url, baton.adminToken), hooks, REMINDERS_ONLY);
    });

    afterAll(async () => {
      await baton?.stop();
      await topology?.stop();
      await scratch?.drop();
      await receiver.stop();
    });

    it('loses no event and no timer, and fires each once', async () => {
      const started = Date.now();
      const reminded = await Promise.all(GO_LIVES_MS.map((ms) => readinessFlow(scene, ms)));
      const load = await startLoad(scene, 4, 50);
      await sleep(Math.max(0, started + 3000 - Date.now()));
      const failing = Date.now();
      const what = await topology.failover(prefix);
      const failedOver = Date.now();
      await sleep(4000);
      await load.stop();
      // Until the last reminder is due (the settling below waits for no timer in the future).
      await sleep(Math.max(0, started + Math.max(...GO_LIVES_MS) - 6000 + 1500 - Date.now()));

      const settled = await waitUntilSettled(scratch.url, receiver, SETTLE_BOUND_MS);
      const final = await readDbState(scratch.url);
      const all = [...load.owned, ...load.created, ...reminded];
      const audit = await auditDeliverables(scene.pmo, all, receiver.received);
      const events = compareEvents(final, receiver);

      // Events: the longest silence at the receiver from the failover on (the load makes events all along).
      const arrivals = receiver.received.map((event) => event.at).filter((at) => at >= failing - 1000);
      arrivals.sort((a, b) => a - b);
      const eventPause = Math.max(0, ...arrivals.slice(1).map((at, n) => at - arrivals[n]));
      // Timers: how late each reminder came, against when it was due.
      const timers = (
        await Promise.all(
          reminded.map((id) =>
            ok(scene.pmo.get(`/v1/deliverables/${id}/reminders`), 'reminders').then(
              (body) => body.items as { status: string; dueAt: string; sentAt: string | null }[],
            ),
          ),
        )
      ).flat();
      const lateness = timers
        .filter((timer) => timer.sentAt !== null)
        .map((timer) => ({
          due: Date.parse(timer.dueAt),
          late: Date.parse(timer.sentAt!) - Date.parse(timer.dueAt),
        }));
      const duringFailover = lateness.filter(({ due }) => due >= failing - 1000 && due <= failedOver + 2000);
      const commandsDuring = load.samples.filter(
        (sample) => isCommand(sample) && sample.start >= failing && sample.start <= failedOver,
      );
      const errors = load.samples.filter((sample) => sample.status === 0 || sample.status >= 500);
      const extra = [...events.duplicates.values()].reduce((sum, n) => sum + n - 1, 0);

      report(title, {
        failover: `${what}; ${((failedOver - failing) / 1000).toFixed(1)} s until another master served the slot`,
        'events paused (longest silence at the receiver, s)': (eventPause / 1000).toFixed(1),
        'timers paused (latest reminder due around the failover, s)': (
          Math.max(0, ...duringFailover.map(({ late }) => late)) / 1000
        ).toFixed(1),
        'timers: due / sent (all late by at most, s)': `${audit.timersDue} / ${audit.timersSent} (${(Math.max(0, ...lateness.map(({ late }) => late)) / 1000).toFixed(1)})`,
        'events expected / distinct received / lost': `${events.expected} / ${events.distinctReceived} / ${events.missing.length}`,
        'timers or events doubled (distinct events per timer, per change)': audit.problems.length,
        'duplicate deliveries of one event id (at-least-once)': `${events.duplicates.size} (${extra} extra requests)`,
        'commands during the failover / 5xx or no answer in the whole run': `${commandsDuring.length} / ${errors.length}`,
        'settled after the load stopped (s)': `${(settled.ms / 1000).toFixed(1)}${settled.settled ? '' : ' (NOT settled)'}`,
        problems: audit.problems.length ? audit.problems.slice(0, 20) : 'none',
      });

      expect(audit.timersSent).toBeGreaterThanOrEqual(2 * GO_LIVES_MS.length);
      expect(duringFailover.length).toBeGreaterThan(0);
      expectNothingLost({ audit, events, final, settled });
      expect(errors.map((sample) => `${sample.label} ${sample.status}`)).toEqual([]);
    });
  });
}

failoverUnderLoad('Redis Cluster: the master holding the queues killed under load', async () => {
  const cluster: LocalCluster = await startRedisCluster({ replicas: 1, nodeTimeoutMs: 1000 });
  return {
    env: { REDIS_URL: cluster.redisUrl, BATON_REDIS_MODE: 'cluster' },
    failover: async (prefix) => {
      const slotOwner = `{${prefix}}`;
      const master = await cluster.masterOf(slotOwner);
      await master.kill();
      const deadline = Date.now() + 30_000;
      for (;;) {
        await sleep(100);
        const next = await cluster.masterOf(slotOwner).catch(() => null);
        if (next && next.port !== master.port) {
          await cluster.waitHealthy();
          return `SIGKILL of master :${master.port}, its replica :${next.port} promoted`;
        }
        if (Date.now() > deadline) throw new Error('no replica took over the queues slot');
      }
    },
    stop: () => cluster.stop(),
  };
});

failoverUnderLoad('Redis Sentinel: SENTINEL FAILOVER under load', async () => {
  const sentinels: LocalSentinels = await startRedisSentinels();
  return {
    env: {
      BATON_REDIS_MODE: 'sentinel',
      BATON_REDIS_SENTINELS: sentinels.sentinels,
      BATON_REDIS_SENTINEL_NAME: sentinels.name,
    },
    failover: async () => {
      const { from, to } = await sentinels.failover();
      return `SENTINEL FAILOVER: master :${from} became a replica of :${to}`;
    },
    stop: () => sentinels.stop(),
  };
});
