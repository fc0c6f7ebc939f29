// Two installations of Baton on one Redis, as two quick-start clones on one machine are: each with its own
// database and neither setting BATON_QUEUE_PREFIX. Every timer of both must fire once and on time. Then the
// same with both given one prefix by mistake: each worker leaves the other's jobs alone, so nothing is lost.
import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { hasRedis, startBaton, type BatonProcess } from '../support/baton-process.js';
import { unique } from '../support/fixtures.js';
import { sleep, waitFor } from '../support/handover-flow.js';
import { ApiClient } from '../support/http-client.js';
import { Receiver } from '../support/receiver.js';
import { elsFlow, readinessFlow, type Scene, setUpScene } from '../support/scene.js';
import { scratchDatabase } from '../support/scratch-database.js';

const describeRedis = hasRedis() ? describe : describe.skip;
if (!hasRedis()) console.warn('Skipped: two installations on one Redis needs a Redis (none was found)');

/** Reminders 8 s and 5 s before a go-live 12 s away (due in 4 s and 7 s); ELS ends 6 s after go-live. */
const GO_LIVE_IN_MS = 12_000;
const DELIVERABLES = 3;
/** A timer fired within this of its due time is on time (BullMQ's delayed jobs fire within milliseconds). */
const ON_TIME_MS = 3000;

interface Installation {
  name: string;
  baton: BatonProcess;
  receiver: Receiver;
  drop(): Promise<void>;
  prefix: string;
  readiness: string[];
  els: string;
  admin: ApiClient;
  scene: Scene;
}

async function install(name: string, prefix: string | undefined): Promise<Installation> {
  const [scratch, receiver] = [await scratchDatabase(), new Receiver()];
  const hooks = await receiver.start();
  const baton = await startBaton({
    env: {
      DATABASE_URL: scratch.url,
      // undefined: the installation's own default, as on a fresh clone.
      BATON_QUEUE_PREFIX: prefix,
      BATON_LOG_LEVEL: 'warn',
      BATON_RELAY_INTERVAL_MS: '100',
    },
  });
  const admin = new ApiClient(baton.url, baton.adminToken);
  const scene = await setUpScene(admin, hooks, {
    readinessReminders: ['PT8S', 'PT5S'],
    elsDuration: 'PT6S',
    elsFollowUpEvery: 'PT1H',
    elsExitSla: 'PT1H',
  });
  return {
    name,
    baton,
    receiver,
    admin,
    prefix: /prefix "([^"]+)"/.exec(baton.output())![1],
    scene,
    drop: () => scratch.drop(),
    // The flows start once both installations run, so that their timers overlap.
    readiness: [],
    els: '',
  };
}

async function startFlows(installation: Installation): Promise<void> {
  const scene = installation.scene;
  installation.readiness = await Promise.all(
    Array.from({ length: DELIVERABLES }, () => readinessFlow(scene, GO_LIVE_IN_MS)),
  );
  installation.els = await elsFlow(scene, false);
}

interface Fired {
  kind: string;
  status: string;
  lateMs: number | null;
}

async function timersOf(installation: Installation): Promise<Record<string, Fired[]>> {
  const result: Record<string, Fired[]> = {};
  for (const id of [...installation.readiness, installation.els]) {
    const response = await installation.admin.get(`/v1/deliverables/${id}/reminders`);
    result[id] = response.body.items
      .filter((timer: { kind: string }) => timer.kind === 'readiness' || timer.kind === 'els_period_end')
      .map((timer: { kind: string; status: string; dueAt: string; sentAt?: string }) => ({
        kind: timer.kind,
        status: timer.status,
        lateMs: timer.sentAt ? Date.parse(timer.sentAt) - Date.parse(timer.dueAt) : null,
      }));
  }
  return result;
}

async function removeKeys(prefix: string): Promise<void> {
  const redis = new Redis(process.env.BATON_TEST_REDIS_URL!, { maxRetriesPerRequest: 1 });
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
}

/** Runs both installations' flows side by side and checks that every timer of each fired once and on time. */
async function everyTimerFiresOnce(pair: Installation[], onTimeMs: number): Promise<void> {
  await Promise.all(pair.map(startFlows));
  for (const installation of pair) {
    const settled = await waitFor(
      () => timersOf(installation),
      (timers) => Object.values(timers).every((list) => list.every((timer) => timer.status !== 'scheduled')),
      `${installation.name}'s timers to fire`,
      GO_LIVE_IN_MS + 15_000,
      250,
    );
    const fired = Object.values(settled).flat();
    const late = fired.map((timer) => timer.lateMs ?? Infinity);
    console.info(
      `${installation.name} (prefix ${installation.prefix}): ${fired.filter((t) => t.status === 'sent').length} of ${fired.length} timers fired, latest ${Math.max(...late)} ms after due`,
    );
    // 2 readiness reminders for each of 3 deliverables, and the ELS period end of one.
    expect(fired.filter((timer) => timer.kind === 'readiness')).toHaveLength(2 * DELIVERABLES);
    expect(fired.filter((timer) => timer.kind === 'els_period_end')).toHaveLength(1);
    expect(fired.map((timer) => timer.status)).toEqual(fired.map(() => 'sent'));
    for (const lateMs of late) expect(lateMs).toBeLessThan(onTimeMs);
    const review = await installation.admin.get(`/v1/deliverables/${installation.els}`);
    expect(review.body.status).toBe('els_review');
  }
  // Once: each reminder reached each installation's subscriber, and exactly once. Delivery is at least once
  // and may be retried (a job the other installation's worker took first comes back later), so wait until
  // every reminder arrived, then a grace period for repeats, then count.
  const reminderCounts = (installation: Installation): number[] => {
    const reminders = installation.receiver.received
      .map((received) => received.json)
      .filter((event) => event?.type === 'reminder.readiness');
    return installation.readiness.map((id) => reminders.filter((event) => event.deliverableId === id).length);
  };
  for (const installation of pair) {
    await waitFor(
      () => Promise.resolve(reminderCounts(installation)),
      (counts) => counts.every((count) => count >= 2),
      `${installation.name}'s reminders to reach its subscriber`,
      15_000,
      100,
    );
  }
  await sleep(1500);
  for (const installation of pair) {
    expect(reminderCounts(installation)).toEqual(installation.readiness.map(() => 2));
  }
}

describeRedis('two installations on one Redis', () => {
  const pair: Installation[] = [];

  afterAll(async () => {
    for (const installation of pair) {
      await installation.baton.stop();
      await installation.receiver.stop();
      await installation.drop();
      await removeKeys(installation.prefix);
    }
  });

  it('each takes a queue prefix of its own, says which, and every timer of both fires once and on time', async () => {
    pair.push(await install('first', undefined), await install('second', undefined));
    const [first, second] = pair;
    expect(first.prefix).toMatch(/^baton-[0-9a-f]{12}$/);
    expect(second.prefix).toMatch(/^baton-[0-9a-f]{12}$/);
    expect(first.prefix).not.toBe(second.prefix);
    expect(first.baton.output()).toMatch(
      /Queues: Redis \S+ \(REDIS_URL\), prefix "baton-[0-9a-f]{12}" \(installation [0-9a-f-]{36}\)/,
    );
    await everyTimerFiresOnce(pair, ON_TIME_MS);
  });
});

describeRedis('two installations given one queue prefix by mistake', () => {
  const pair: Installation[] = [];

  afterAll(async () => {
    for (const installation of pair) {
      await installation.baton.stop();
      await installation.receiver.stop();
      await installation.drop();
    }
    if (pair[0]) await removeKeys(pair[0].prefix);
  });

  it("leave each other's jobs alone: every timer of both still fires once, and each says the prefix is shared", async () => {
    const shared = unique('baton_shared');
    pair.push(await install('first', shared), await install('second', shared));
    // A job bounced back to the queue waits 250 ms before a worker takes it again: a little later, never lost.
    await everyTimerFiresOnce(pair, 3 * ON_TIME_MS);
    const warned = pair.filter((installation) =>
      installation.baton.output().includes('is shared with another Baton installation'),
    );
    expect(warned.length).toBeGreaterThan(0);
  });
});
