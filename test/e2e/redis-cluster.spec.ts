import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import { createActors, type Actors } from '../support/fixtures.js';
import { walkHandover } from '../support/handover-walk.js';
import { ApiClient } from '../support/http-client.js';
import { Receiver } from '../support/receiver.js';
import { remindersSurviveRedisLoss, subscribeToReminders } from '../support/redis-loss.js';
import { type LocalCluster, skipWithoutRedisServer, startRedisCluster } from '../support/redis-topology.js';
import { scratchDatabase } from '../support/scratch-database.js';

const skip = skipWithoutRedisServer('the Redis Cluster test');

/**
 * Baton on a Redis Cluster of three masters started for the test (BATON_REDIS_MODE=cluster, REDIS_URL the
 * seed nodes): the handover walk with its timers, and the reminders after every master forgot everything.
 * The same building blocks as the single-Redis tests (handover-walk, redis-loss).
 */
(skip ? describe.skip : describe)('Baton on a Redis Cluster', () => {
  let cluster: LocalCluster;
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let baton: BatonProcess;
  let actors: Actors;
  const prefix = `baton_cluster_${randomBytes(3).toString('hex')}`;
  const receiver = new Receiver();

  beforeAll(async () => {
    const base = await receiver.start();
    cluster = await startRedisCluster();
    scratch = await scratchDatabase();
    baton = await startBaton({
      env: {
        DATABASE_URL: scratch.url,
        REDIS_URL: cluster.redisUrl,
        BATON_REDIS_MODE: 'cluster',
        BATON_QUEUE_PREFIX: prefix,
        BATON_RECONCILE_INTERVAL_MS: '500',
        BATON_OUTBOUND_DENY: '169.254.0.0/16',
        BATON_LOG_LEVEL: 'log',
      },
    });
    actors = await createActors(new ApiClient(baton.url, baton.adminToken));
    await subscribeToReminders(actors, base);
  });

  afterAll(async () => {
    await baton?.stop();
    await cluster?.stop();
    await scratch?.drop();
    await receiver.stop();
  });

  it('answers /health with the queues up, its prefix in a hash tag, every key of it on one master', async () => {
    // The start line names the prefix as used (in plain or JSON log lines alike).
    expect(baton.output()).toContain(`{${prefix}}`);
    expect(baton.output()).toContain('(BATON_QUEUE_PREFIX, in a hash tag for Redis Cluster)');
    const health = await new ApiClient(baton.url, null).get('/health');
    expect({ status: health.status, body: health.body }).toMatchObject({
      status: 200,
      body: { checks: { postgres: 'up', queue: 'up' } },
    });
    const home = await cluster.masterOf(`{${prefix}}`);
    const held = [];
    for (const master of cluster.masters) {
      const client = new Redis(master.url);
      const keys = await client.keys(`*${prefix}*`);
      client.disconnect();
      if (keys.length > 0) held.push({ port: master.port, keys });
    }
    expect(held.map((node) => node.port)).toEqual([home.port]);
    expect(held[0].keys).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^\\{${prefix}\\}:timers:`)),
        expect.stringMatching(new RegExp(`^\\{${prefix}\\}:baton:sentinel:`)),
      ]),
    );
  });

  it('walks a deliverable from draft to operational, its timers firing once each', async () => {
    await walkHandover(new ApiClient(baton.url, baton.adminToken));
  });

  it('delivers both reminders after every master forgot everything (FLUSHALL)', async () => {
    await remindersSurviveRedisLoss(actors, receiver, 'FLUSHALL on every master', async () => {
      const client = cluster.client();
      try {
        await Promise.all(client.nodes('master').map((node) => node.flushall()));
      } finally {
        client.disconnect();
      }
    });
    // Nothing Baton sent was refused for the cluster's sake.
    expect(baton.output()).not.toMatch(/CROSSSLOT|MOVED|ASK |CLUSTERDOWN/);
  });
});
