// The limit for jobs and timers: a raw BullMQ Worker whose processor does nothing, in a process of its own
// (as Baton's worker is). Env: REDIS_URL (with REDIS_MODE=cluster, the seed nodes, comma-separated),
// PREFIX, QUEUE, CONCURRENCY. Prints "ready" when it takes jobs.
import { Worker } from 'bullmq';
import { Cluster } from 'ioredis';

const queue = process.env.QUEUE ?? 'raw';
const worker = new Worker(queue, async () => 'ok', {
  connection:
    process.env.REDIS_MODE === 'cluster'
      ? new Cluster(
          process.env.REDIS_URL.split(',').map((url) => ({
            host: new URL(url).hostname,
            port: Number(new URL(url).port),
          })),
          { enableReadyCheck: false, redisOptions: { maxRetriesPerRequest: null } },
        )
      : { url: process.env.REDIS_URL },
  prefix: process.env.PREFIX,
  concurrency: Number(process.env.CONCURRENCY ?? 16),
});

worker.on('error', (error) => process.stderr.write(`raw worker: ${error.message}\n`));
await worker.waitUntilReady();
process.stdout.write(`ready ${queue}\n`);
const stop = async () => {
  await worker.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
