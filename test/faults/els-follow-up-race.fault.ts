import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import { ApiClient } from '../support/http-client.js';
import { scratchDatabase } from '../support/scratch-database.js';
import {
  batonEnv,
  elsFlow,
  faultPrefix,
  readDbState,
  report,
  type Scene,
  setUpScene,
  SlowReceiver,
  withDb,
} from './fault-kit.js';
import { type PrivateRedis, startPrivateRedis } from './private-services.js';

/**
 * The end of early life support cancels the ELS follow-ups; a follow-up that fires at that moment
 * schedules its next occurrence. The kill test meets this race now and then (a follow-up every second,
 * a period of three); here a lock held on the follow-up's row for a moment (a slow database) makes the
 * interleaving certain: the follow-up fires first and commits while the statement that ends ELS waits
 * for that row with a snapshot taken before the next occurrence existed.
 */
describe('an ELS follow-up firing as ELS ends', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let redis: PrivateRedis;
  let baton: BatonProcess;
  let scene: Scene;
  const receiver = new SlowReceiver();

  beforeAll(async () => {
    const hooks = await receiver.start();
    redis = await startPrivateRedis();
    scratch = await scratchDatabase();
    baton = await startBaton({
      env: batonEnv({ DATABASE_URL: scratch.url, REDIS_URL: redis.url, BATON_QUEUE_PREFIX: faultPrefix() }),
    });
    // The first follow-up at 2 s, the period end at 3 s, no open incident: ELS ends at 3 s.
    scene = await setUpScene(new ApiClient(baton.url, baton.adminToken), hooks, {
      readinessReminders: [],
      elsDuration: 'PT3S',
      elsFollowUpEvery: 'PT2S',
      elsExitSla: 'PT1H',
    });
  });

  afterAll(async () => {
    await baton?.stop();
    await redis?.close();
    await scratch?.drop();
    await receiver.stop();
  });

  it('leaves no follow-up running after ELS ended', async () => {
    const id = await elsFlow(scene, false);
    const followUp = await withDb(
      scratch.url,
      async (client) =>
        (
          await client.query(
            `SELECT id, due_at AS "dueAt" FROM timers
             WHERE deliverable_id = $1 AND kind = 'els_follow_up' AND status = 'scheduled'`,
            [id],
          )
        ).rows[0] as { id: string; dueAt: Date },
    );
    // Hold the follow-up's row until both the follow-up (at 2 s) and the period end (at 3 s) wait for it.
    const holder = new pg.Client({ connectionString: scratch.url });
    holder.on('error', () => undefined);
    await holder.connect();
    let waiters = 0;
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM timers WHERE id = $1 FOR UPDATE', [followUp.id]);
      const deadline = followUp.dueAt.getTime() + 6000;
      while (waiters < 2 && Date.now() < deadline) {
        await sleep(100);
        waiters = (
          await withDb(scratch.url, (client) =>
            client.query(
              `SELECT count(*)::int AS n FROM pg_stat_activity
               WHERE datname = current_database() AND wait_event_type = 'Lock'`,
            ),
          )
        ).rows[0].n;
      }
    } finally {
      await holder.query('COMMIT').catch(() => undefined);
      await holder.end();
    }
    // The next follow-up (due 2 s after the first fired) comes and goes; give it time to send and reschedule.
    await sleep(5000);
    const deliverable = (await scene.pmo.get(`/v1/deliverables/${id}`)).body;
    const history = (await scene.pmo.get(`/v1/deliverables/${id}/history`)).body.items as any[];
    const leftEls = history.find((event) => event.fromStatus === 'early_life_support')?.at ?? '9999-12-31';
    const state = await readDbState(scratch.url);
    const afterEls = receiver.received.filter(
      (event) =>
        event.deliverableId === id &&
        event.type === 'els.follow_up' &&
        Date.parse(event.data?.dueAt) > Date.parse(leftEls),
    );
    report('an ELS follow-up firing as ELS ends', {
      'statements waiting on the held row': waiters,
      status: `${deliverable.status} (left ELS at ${leftEls})`,
      'follow-ups that outlived ELS': state.orphans.length ? state.orphans : 0,
      'els.follow_up events sent after ELS ended': afterEls.map(
        (event) => `${event.data.dueAt} (${event.data.status})`,
      ),
    });

    expect(waiters).toBe(2);
    expect(deliverable.status).toBe('els_review');
    expect(state.orphans).toEqual([]);
    expect(afterEls).toEqual([]);
  });
});
