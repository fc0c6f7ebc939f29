// Test support: processes a launcher left behind, and one job through a queue.
import { randomBytes } from 'node:crypto';
import { readFile, readdir, readlink, realpath } from 'node:fs/promises';
import { Queue, Worker } from 'bullmq';
import pg from 'pg';
import type { QueueBackend } from './infrastructure.types.js';
import { queueConnection } from './queue-backend.config.js';

/** Live processes working in or named after `directory`, and watchdogs guarding any of `pids`. */
export async function leftoverProcesses(directory: string, pids: number[] = []): Promise<string[]> {
  const root = await realpath(directory);
  const found: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (!stat || /\) [ZX] /.test(stat)) continue;
    const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => '');
    const args = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => ''))
      .split('\0')
      .filter(Boolean);
    const watchdogOf = args.includes('baton-watchdog') ? Number(args[args.length - 1]) : undefined;
    if (
      cwd.startsWith(root) ||
      args.some((arg) => arg.includes(root)) ||
      (watchdogOf && pids.includes(watchdogOf))
    ) {
      found.push(`${entry}: ${args.join(' ')}`);
    }
  }
  return found;
}

export async function watchdogOf(pid: number): Promise<number | undefined> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const args = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => ''))
      .split('\0')
      .filter(Boolean);
    if (args.includes('baton-watchdog') && args[args.length - 1] === String(pid)) return Number(entry);
  }
  return undefined;
}

/** Adds one job and resolves with what the worker returned for it. */
export async function roundTrip(backend: QueueBackend, queueName: string): Promise<unknown> {
  const queue = new Queue(queueName, queueConnection(backend));
  const worker = new Worker(
    queueName,
    (job) => Promise.resolve({ doubled: (job.data as { n: number }).n * 2 }),
    {
      ...queueConnection(backend),
      concurrency: 1,
    },
  );
  try {
    const completed = new Promise<unknown>((resolve, reject) => {
      worker.on('completed', (_job, result) => resolve(result));
      worker.on('failed', (_job, error) => reject(error));
      worker.on('error', reject);
    });
    await queue.add('double', { n: 21 }, { jobId: `check-${randomBytes(4).toString('hex')}` });
    return await completed;
  } finally {
    await worker.close();
    await queue.close();
  }
}

/** The rows of one query on a connection of its own. */
export async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}
