import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { isRunning, stopPid } from './process.util.js';
import { spawnRedisServer } from './redis-server.launcher.js';
import { leftoverProcesses, watchdogOf } from './runtime.spec-helper.js';

async function withRedis<T>(url: string, work: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    return await work(client);
  } finally {
    client.disconnect();
  }
}

describe('spawnRedisServer', () => {
  let dataDir: string;
  const lines: string[] = [];
  const log = (line: string): void => {
    lines.push(line);
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'baton-runtime-redis-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps keys across restarts in its append-only file', async () => {
    const first = await spawnRedisServer({ dataDir, log });
    await withRedis(first.url, async (client) => {
      expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      await client.set('kept', 'yes');
    });
    await first.stop();
    expect(await leftoverProcesses(dataDir, [first.pid])).toEqual([]);

    const second = await spawnRedisServer({ dataDir, log });
    try {
      expect(await withRedis(second.url, (client) => client.get('kept'))).toBe('yes');
    } finally {
      await second.stop();
    }
  }, 20_000);

  it('stops a redis-server a previous run left behind before starting its own', async () => {
    const orphan = await spawnRedisServer({ dataDir, log });
    await stopPid((await watchdogOf(orphan.pid))!, [['SIGKILL', 1000]]); // we died, and so did the watchdog
    expect(await isRunning(orphan.pid)).toBe(true);

    const next = await spawnRedisServer({ dataDir, log });
    try {
      expect(await isRunning(orphan.pid)).toBe(false);
      expect(lines.some((line) => line.includes(`left redis-server ${orphan.pid} running`))).toBe(true);
      expect(await withRedis(next.url, (client) => client.get('kept'))).toBe('yes');
    } finally {
      await next.stop();
      await orphan.stop();
    }
    expect(await leftoverProcesses(dataDir, [orphan.pid, next.pid])).toEqual([]);
  }, 20_000);
});
