import { spawn } from 'node:child_process';
import type pg from 'pg';
import { awaitServer, OutputTail, type ServerStart, spawnWatchdog, type StopStep } from '../process.util.js';
import { type PostgresBinaries } from './postgres-cluster.js';
import { type OsAccount, POSTGRES_USER } from './os-account.js';

// The postmaster serving a cluster: started on a port, probed until it answers, stopped in steps.

const READY_TIMEOUT_MS = 60_000;
export const STOP_STEPS: readonly StopStep[] = [
  ['SIGINT', 1800], // fast shutdown: aborts transactions, checkpoints, exits
  ['SIGQUIT', 400], // immediate shutdown: crash recovery at next start
  ['SIGKILL', 300],
];

export async function startServer(
  binaries: PostgresBinaries,
  dataDir: string,
  pgDir: string,
  port: number,
  password: string,
  account: OsAccount | undefined,
  log: (line: string) => void,
): Promise<ServerStart> {
  let ready = false;
  const output = new OutputTail(40, (line) => {
    // Once up, pass on what needs attention; client errors are the application's to log.
    if (ready && /\b(WARNING|FATAL|PANIC):/.test(line)) log(`postgres: ${line}`);
  });
  const child = spawn(
    binaries.postgres,
    [
      '-D',
      pgDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
    ],
    {
      cwd: dataDir,
      env: { ...process.env, LC_ALL: 'C' },
      detached: true, // own process group: a terminal's Ctrl-C is ours to handle, not PostgreSQL's
      stdio: ['ignore', 'pipe', 'pipe'],
      ...account,
    },
  );
  child.on('error', (error) => output.push(`${error.message}\n`));
  output.attach(child.stdout);
  output.attach(child.stderr);

  // From the start: if we die while it starts up, it goes too.
  const watchdog = child.pid === undefined ? undefined : spawnWatchdog(child.pid, 'SIGINT');
  const started = await awaitServer({
    child,
    watchdog,
    output,
    retryable: /could not bind|could not create any TCP\/IP sockets|shared memory/i,
    check: async () => {
      const state = await probe(port, password);
      return state === 'refused-credentials' ? 'password rejected' : state === 'ready';
    },
    timeoutMs: READY_TIMEOUT_MS,
    intervalMs: 100,
    stopSteps: STOP_STEPS,
  });
  if (!started.ok) return started;
  ready = true;
  if (/automatic recovery in progress/.test(output.text())) {
    log('PostgreSQL: recovered from an unclean shutdown of the previous run');
  }
  return started;
}

/** node-postgres, loaded when first needed rather than with the library (`npm start` imports it first). */
const loadPg = async (): Promise<typeof pg> => (await import('pg')).default;

/** A client of the server's maintenance database as the superuser, not connected yet; its errors are the caller's. */
async function adminClient(
  port: number,
  password: string,
  connectionTimeoutMillis?: number,
): Promise<pg.Client> {
  const { Client } = await loadPg();
  const client = new Client({
    host: '127.0.0.1',
    port,
    user: POSTGRES_USER,
    password,
    database: 'postgres',
    connectionTimeoutMillis,
  });
  client.on('error', () => undefined);
  return client;
}

async function probe(port: number, password: string): Promise<'ready' | 'waiting' | 'refused-credentials'> {
  const client = await adminClient(port, password, 1000);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return 'ready';
  } catch (error) {
    return (error as { code?: string }).code === '28P01' ? 'refused-credentials' : 'waiting';
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function ensureDatabase(port: number, password: string, database: string): Promise<void> {
  const client = await adminClient(port, password);
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
