import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmbeddedPostgres } from './embedded-postgres.launcher.js';
import { leftoverProcesses, query, watchdogOf } from './runtime.spec-helper.js';
import { isRunning, stopPid } from './process.util.js';

describe('startEmbeddedPostgres', () => {
  let dataDir: string;
  const lines: string[] = [];
  const log = (line: string): void => {
    lines.push(line);
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'baton-runtime-pg-')); // mode 0700: not reachable by `postgres` as is
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('initialises an empty folder, keeps the data across starts and leaves no process behind', async () => {
    lines.length = 0;
    let started = Date.now();
    const cold = await startEmbeddedPostgres({ dataDir, log });
    const coldMs = Date.now() - started;
    expect(cold.url).toMatch(/^postgresql:\/\/postgres:[0-9a-f]+@127\.0\.0\.1:\d+\/baton$/);
    expect(await stat(join(dataDir, 'postgres', 'PG_VERSION'))).toBeTruthy();
    await query(cold.url, 'CREATE TABLE kept (id int PRIMARY KEY, note text)');
    await query(cold.url, "INSERT INTO kept VALUES (1, 'one'), (2, 'deux ✓')");
    started = Date.now();
    await cold.stop();
    const stopMs = Date.now() - started;
    await cold.stop(); // idempotent
    expect(cold.exited).toBe(true);
    expect(await leftoverProcesses(dataDir, [cold.pid])).toEqual([]);

    started = Date.now();
    const warm = await startEmbeddedPostgres({ dataDir, log });
    const warmMs = Date.now() - started;
    try {
      expect(warm.port).not.toBe(cold.port);
      expect(await query(warm.url, 'SELECT id, note FROM kept ORDER BY id')).toEqual([
        { id: 1, note: 'one' },
        { id: 2, note: 'deux ✓' },
      ]);
      expect(lines.filter((line) => line.includes('initialised a new cluster'))).toHaveLength(1);
    } finally {
      await warm.stop();
    }
    expect(await leftoverProcesses(dataDir, [warm.pid])).toEqual([]);
    console.log(`embedded PostgreSQL: cold start ${coldMs} ms, warm start ${warmMs} ms, stop ${stopMs} ms`);
  }, 60_000);

  it('recovers when a previous run died and left its postmaster running', async () => {
    lines.length = 0;
    const first = await startEmbeddedPostgres({ dataDir, log });
    // Our death, minus the watchdog (say it was killed too): PostgreSQL keeps running, orphaned.
    const watchdog = await watchdogOf(first.pid);
    expect(watchdog).toBeDefined();
    await stopPid(watchdog!, [['SIGKILL', 1000]]);
    expect(await isRunning(first.pid)).toBe(true);

    const second = await startEmbeddedPostgres({ dataDir, log });
    try {
      expect(await isRunning(first.pid)).toBe(false);
      expect(lines.some((line) => line.includes(`left postmaster ${first.pid} running`))).toBe(true);
      expect(await query(second.url, 'SELECT count(*)::int AS n FROM kept')).toEqual([{ n: 2 }]);
    } finally {
      await second.stop();
      await first.stop();
    }
    expect(await leftoverProcesses(dataDir, [first.pid, second.pid])).toEqual([]);
  }, 30_000);

  it('stop() is bounded even when PostgreSQL hangs, and the next start recovers', async () => {
    lines.length = 0;
    const hung = await startEmbeddedPostgres({ dataDir, log });
    process.kill(hung.pid, 'SIGSTOP');
    const started = Date.now();
    await hung.stop();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(hung.exited).toBe(true);

    const next = await startEmbeddedPostgres({ dataDir, log });
    try {
      expect(await query(next.url, 'SELECT count(*)::int AS n FROM kept')).toEqual([{ n: 2 }]);
      expect(lines.some((line) => line.includes('recovered from an unclean shutdown'))).toBe(true);
    } finally {
      await next.stop();
    }
  }, 30_000);

  it('ignores a stale postmaster.pid whose pid now belongs to another process', async () => {
    lines.length = 0;
    // A live process of the same OS user as PostgreSQL: PostgreSQL itself would refuse to start.
    const other = spawn('sleep', ['30'], { stdio: 'ignore', ...(await postgresAccount()) });
    const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
    await writeFile(
      pidFile,
      `${other.pid}\n${join(dataDir, 'postgres')}\n1700000000\n5432\n\n127.0.0.1\n  1234  5678\nready\n`,
    );
    try {
      const server = await startEmbeddedPostgres({ dataDir, log });
      await server.stop();
      expect(lines.some((line) => line.includes('removing the stale'))).toBe(true);
      expect(await isRunning(other.pid!)).toBe(true);
    } finally {
      other.kill('SIGKILL');
    }
  }, 30_000);
});

async function postgresAccount(): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) return {};
  const passwd = await readFile('/etc/passwd', 'utf8');
  const fields = passwd
    .split('\n')
    .find((line) => line.startsWith('postgres:'))
    ?.split(':');
  return fields ? { uid: Number(fields[2]), gid: Number(fields[3]) } : {};
}
