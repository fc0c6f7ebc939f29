// `npm run restore -- FILE [--force]`: a backup made by `npm run backup` into Baton's database (DATABASE_URL,
// or the embedded one with Baton stopped), replacing what it holds, in one transaction: the restore happens
// whole or not at all. Then Redis is told it lost its jobs (the reconciler's sentinel key is removed), so the
// workers, now or at their next start, put every scheduled timer, pending webhook delivery and unfinished job
// of the restored database back into the queues.
//
// Exit code: 0 restored; 2 refused (the database holds deliverables and --force is missing, Baton is still
// connected to it, no pg_restore fit for the server).
import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  contents,
  openDatabase,
  Refusal,
  runOn,
  serverMajor,
  shown,
  tool,
  withClient,
} from './backup-restore.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

async function main() {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const file = args.find((arg) => !arg.startsWith('--'));
  if (!file) throw new Refusal('usage: npm run restore -- FILE [--force]');
  await access(resolve(file)).catch(() => {
    throw new Refusal(`${file}: no such file`);
  });
  const database = await openDatabase('refuse');
  try {
    const major = await withClient(database.url, async (client) => {
      const { rows } = await client.query(
        `SELECT count(*)::int AS connected FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name LIKE 'baton%'`,
      );
      if (rows[0].connected > 0) {
        throw new Refusal(
          `Baton is connected to ${shown(database.url)} (${rows[0].connected} connections): stop its processes first`,
        );
      }
      const existing = await client.query(`SELECT to_regclass('deliverables') IS NOT NULL AS present`);
      if (existing.rows[0].present && !force) {
        const { deliverables } = await contents(client);
        if (deliverables > 0) {
          throw new Refusal(
            `${shown(database.url)} holds ${deliverables} deliverables; the restore replaces them: add --force`,
          );
        }
      }
      return serverMajor(client);
    });
    const pgRestore = await tool('pg_restore', major);
    await runOn(
      pgRestore,
      [
        '--clean',
        '--if-exists',
        '--no-owner',
        '--no-privileges',
        '--single-transaction',
        '--exit-on-error',
        resolve(file),
      ],
      database.url,
    );
    const facts = await withClient(database.url, contents);
    const cleared = await forgetQueues(facts.installation);
    console.log(
      `Restored ${file} into ${shown(database.url)} (installation ${facts.installation}: ${facts.deliverables} ` +
        `deliverables, ${facts.timers} scheduled timers, ${facts.events} audit events); ${cleared}`,
    );
  } finally {
    await database.close();
  }
}

/**
 * Removes the reconciler's sentinel key of the installation's queue prefix (BATON_QUEUE_PREFIX, else the
 * installation's own; wrapped in a hash tag on a Redis Cluster), so the workers reconcile: the queues are
 * rebuilt from the restored rows. The Redis is the one Baton's settings name, on any topology
 * (BATON_REDIS_MODE: one server, a cluster, the master behind Sentinel), reached as Baton reaches it.
 */
async function forgetQueues(installation) {
  const { build, isBuilt } = await import('./build.mjs');
  const built = (path) => pathToFileURL(join(ROOT, path)).href;
  if (!(await isBuilt('dist/libs/core/src/redis-clients.js')) && !(await build()))
    throw new Refusal('The build failed (see above)');
  const { loadConfig, clusterSafePrefix, defaultQueuePrefix } = await import(
    built('dist/libs/config/src/index.js')
  );
  const { RedisClients } = await import(built('dist/libs/core/src/redis-clients.js'));
  const config = loadConfig();
  const url = config.redisUrl ?? 'redis://127.0.0.1:6379';
  const topology = config.redisTopology;
  const prefix = clusterSafePrefix(config.queuePrefix ?? defaultQueuePrefix(installation), topology);
  const redis = new RedisClients({ backend: 'redis', url, origin: 'env', topology }).create('baton-restore', {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    // Both keys share the prefix, and so its slot on a cluster.
    const removed = await redis.del(`${prefix}:baton:sentinel`, `${prefix}:baton:sentinel:${installation}`);
    return `the workers rebuild the queues of prefix "${prefix}" from it (sentinel ${removed > 0 ? 'removed' : 'already absent'})`;
  } catch {
    return `no Redis at ${url}: the workers rebuild the queues from it when they first start on it`;
  } finally {
    redis.disconnect();
  }
}

main().catch((error) => {
  console.error(error instanceof Refusal ? error.message : (error.stack ?? String(error)));
  process.exit(error instanceof Refusal ? 2 : 1);
});
