// Drops the run's database and its queue keys, then stops whatever the setup started.
import { Redis } from 'ioredis';
import pg from 'pg';

export default async function globalTeardown() {
  const server = process.env.BATON_TEST_SERVER_URL;
  const database = process.env.BATON_TEST_DATABASE;
  if (server && database && !process.env.BATON_TEST_KEEP_DATABASE) {
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
  const redisUrl = process.env.BATON_TEST_REDIS_URL;
  const prefix = process.env.BATON_TEST_QUEUE_PREFIX;
  if (redisUrl && prefix) {
    const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
    await redis.quit();
  }
  await globalThis.__batonTestServices?.stop();
}
