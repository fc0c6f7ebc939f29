import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { type Infrastructure, startInfrastructure } from '@baton/runtime';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import {
  createActors,
  createDeliverable,
  createProject,
  createService,
  type Actors,
} from '../support/fixtures.js';
import { ApiClient } from '../support/http-client.js';
import { Receiver, validSignature } from '../support/receiver.js';
import { scratchDatabase } from '../support/scratch-database.js';

const hasRedisServer = (() => {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasRedisServer)
  console.warn('Skipped: the Redis-loss test needs redis-server on PATH (it flushes a Redis of its own)');
const describeWithRedis = hasRedisServer ? describe : describe.skip;

const SECRET = 'reminders-secret-0123456789';

/** Timers live in PostgreSQL; a Redis that forgets everything (FLUSHDB) loses no reminder. */
describeWithRedis('losing Redis in the middle of a schedule', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let redis: Infrastructure;
  let baton: BatonProcess;
  let actors: Actors;
  const receiver = new Receiver();

  beforeAll(async () => {
    const base = await receiver.start();
    scratch = await scratchDatabase();
    // A redis-server of this test's own, so FLUSHDB touches nothing else.
    redis = await startInfrastructure({
      databaseUrl: scratch.url,
      localRedisUrl: 'redis://127.0.0.1:1',
      dataDir: await mkdtemp(join(tmpdir(), 'baton-redis-loss-')),
      log: () => undefined,
    });
    if (redis.queue.backend !== 'redis') throw new Error('expected a spawned redis-server');
    baton = await startBaton({
      env: {
        DATABASE_URL: scratch.url,
        REDIS_URL: redis.queue.url,
        BATON_RECONCILE_INTERVAL_MS: '500',
        BATON_OUTBOUND_DENY: '169.254.0.0/16',
      },
    });
    actors = await createActors(new ApiClient(baton.url, baton.adminToken));
    const policy = (await actors.smo.get('/v1/policies/3')).body;
    const { tier: _tier, source: _source, updatedAt: _updatedAt, ...rest } = policy;
    expect(
      (await actors.smo.request('PUT', '/v1/policies/3', { ...rest, readinessReminders: ['PT6S', 'PT3S'] }))
        .status,
    ).toBe(200);
    expect(
      (
        await actors.smo.post('/v1/webhooks', {
          url: `${base}/hook`,
          events: ['reminder.readiness'],
          secret: SECRET,
        })
      ).status,
    ).toBe(201);
  });

  afterAll(async () => {
    await baton?.stop();
    await redis?.stop();
    await scratch?.drop();
    await receiver.stop();
  });

  it('delivers both reminders before a go-live 9 s away, each once, signed, after FLUSHDB', async () => {
    const deliverable = await createDeliverable(
      actors.pmo,
      { projectId: await createProject(actors.pmo), serviceId: await createService(actors.smo, 3) },
      { targetGoLive: new Date(Date.now() + 9000).toISOString() },
    );
    const submitted = Date.now();
    expect((await actors.pmo.post(`/v1/deliverables/${deliverable.id}/submit`)).status).toBe(200);
    const scheduled = (
      await actors.pmo.get(`/v1/deliverables/${deliverable.id}/reminders`)
    ).body.items.filter((timer: any) => timer.kind === 'readiness');
    expect(scheduled.map((timer: any) => [timer.before, timer.status])).toEqual([
      ['PT6S', 'scheduled'],
      ['PT3S', 'scheduled'],
    ]);

    // Redis forgets every job, the delayed reminder jobs with them.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const client = new Redis((redis.queue as { url: string }).url);
    await client.flushdb();
    await client.quit();

    const received = await receiver.waitFor((all) => all.length >= 2, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.received).toHaveLength(2);
    expect(received.every((item) => validSignature(SECRET, item))).toBe(true);
    expect(received.map((item) => item.json.data.before)).toEqual(['PT6S', 'PT3S']);
    // Each came when due (3 s and 6 s after submit), give or take the reconciliation interval.
    const lateness = received.map((item, index) => item.at - submitted - (index + 1) * 3000);
    expect(Math.min(...lateness)).toBeGreaterThan(-200);
    const after = (await actors.pmo.get(`/v1/deliverables/${deliverable.id}/reminders`)).body.items;
    expect(
      after.filter((timer: any) => timer.kind === 'readiness').map((timer: any) => timer.status),
    ).toEqual(['sent', 'sent']);
    console.info(`reminder lateness after FLUSHDB: ${lateness.join(' ms, ')} ms`);
  });
});
