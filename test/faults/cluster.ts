// Several apis and workers on one PostgreSQL and one Redis of their own, behind the test's balancer, with the
// fault tests' scene set up through it: what the scale-out and rolling-restart tests start from.
import { randomBytes } from 'node:crypto';
import { type Redis } from 'ioredis';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import { scratchDatabase } from '../support/scratch-database.js';
import { BalancedClient, Balancer } from './balancer.js';
import {
  batonEnv,
  faultPrefix,
  type Scene,
  setUpScene,
  SlowReceiver,
  startWorker,
  type WorkerProcess,
} from './fault-kit.js';
import { type PrivateRedis, startPrivateRedis } from './private-services.js';

export interface Cluster {
  env: Record<string, string>;
  databaseUrl: string;
  redisClient: Redis;
  /** Replaced in place when a test restarts one. */
  apis: BatonProcess[];
  workers: WorkerProcess[];
  balancer: Balancer;
  receiver: SlowReceiver;
  scene: Scene;
  /** Starts another api with the cluster's settings and puts it behind the balancer in place of `n`. */
  replaceApi(n: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startCluster(options: {
  apis: number;
  workers: number;
  /** Settings of the n-th api beyond the cluster's own. */
  apiEnv?: (n: number) => Record<string, string>;
}): Promise<Cluster> {
  const receiver = new SlowReceiver();
  receiver.delayMs = () => 50 + Math.random() * 150;
  const hooks = await receiver.start();
  const redis: PrivateRedis = await startPrivateRedis();
  const redisClient = redis.client();
  const scratch = await scratchDatabase();
  const env = batonEnv({
    DATABASE_URL: scratch.url,
    REDIS_URL: redis.url,
    BATON_QUEUE_PREFIX: faultPrefix(),
    BATON_RECONCILE_INTERVAL_MS: '1000',
    // A little longer than the balancer needs to see an api unready: it serves until then.
    BATON_DRAIN_DELAY_MS: '500',
    // One admin for all: each api would otherwise make the admin's token its own at start.
    BATON_ADMIN_TOKEN: `fault_admin_${randomBytes(16).toString('hex')}`,
  });
  const balancer = new Balancer();
  const apis: BatonProcess[] = [];
  const workers: WorkerProcess[] = [];
  for (let n = 0; n < options.apis; n++) {
    apis.push(await startBaton({ app: 'api', env: { ...env, ...options.apiEnv?.(n) } }));
    balancer.add(apis[n].url);
  }
  for (let n = 0; n < options.workers; n++) workers.push(await startWorker(env));
  balancer.startPolling();
  const scene = await setUpScene(new BalancedClient(balancer, env.BATON_ADMIN_TOKEN), hooks, {
    readinessReminders: ['PT16S', 'PT12S', 'PT8S', 'PT4S'],
    elsDuration: 'PT3S',
    elsFollowUpEvery: 'PT1S',
    elsExitSla: 'PT3S',
  });
  return {
    env,
    databaseUrl: scratch.url,
    redisClient,
    apis,
    workers,
    balancer,
    receiver,
    scene,
    replaceApi: async (n) => {
      apis[n] = await startBaton({ app: 'api', env });
      balancer.add(apis[n].url);
    },
    stop: async () => {
      balancer.stopPolling();
      await Promise.all(workers.map((worker) => worker.kill('SIGINT')));
      await Promise.all(apis.map((api) => api.stop()));
      await redisClient.quit();
      await redis.close();
      await scratch.drop();
      await receiver.stop();
    },
  };
}
