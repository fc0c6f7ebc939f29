import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = {
  baton: 'dist/apps/baton/src/main.js',
  api: 'dist/apps/api/src/main.js',
  worker: 'dist/apps/worker/src/main.js',
};

export interface BatonProcess {
  url: string;
  adminToken: string;
  child: ChildProcess;
  output(): string;
  /** SIGINT, then wait for exit; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartOptions {
  app?: keyof typeof ENTRY;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** What the output shows once it is ready; unset: that it listens (a worker listens on nothing). */
  ready?: RegExp;
}

/** The test run's database and queue settings, as the global setup made them. */
export function testEnvironment(): Record<string, string> {
  const env: Record<string, string> = {
    DATABASE_URL: process.env.BATON_TEST_DATABASE_URL!,
    BATON_QUEUE_PREFIX: process.env.BATON_TEST_QUEUE_PREFIX!,
  };
  if (process.env.BATON_TEST_REDIS_URL) env.REDIS_URL = process.env.BATON_TEST_REDIS_URL;
  return env;
}

export const hasRedis = (): boolean => Boolean(process.env.BATON_TEST_REDIS_URL);

/** Starts a built Baton entry point as a child process on a free port and waits until it listens (or is `ready`). */
export async function startBaton(options: StartOptions = {}): Promise<BatonProcess> {
  const app = options.app ?? 'baton';
  const dataDir = await mkdtemp(join(tmpdir(), 'baton-e2e-'));
  // A Baton on a database of its own gets queue keys of its own: a worker must never take jobs whose rows
  // live in another database (it would find no timer and drop the job).
  const ownDatabase =
    options.env?.DATABASE_URL !== undefined && options.env.DATABASE_URL !== testEnvironment().DATABASE_URL;
  // On the run's shared database, the run's admin token: a start sets the admin's token, and test files run
  // side by side.
  const adminToken =
    ownDatabase || !process.env.BATON_TEST_ADMIN_TOKEN
      ? `test_admin_${randomBytes(16).toString('hex')}`
      : process.env.BATON_TEST_ADMIN_TOKEN;
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: '0',
    HOST: '127.0.0.1',
    BATON_DATA_DIR: dataDir,
    BATON_ADMIN_TOKEN: adminToken,
    BATON_LOG_LEVEL: 'warn',
    // Lines a person reads when a test fails; the JSON format has tests of its own.
    BATON_LOG_FORMAT: 'pretty',
    // Tests drive the API harder than any client; the rate limit has its own test.
    BATON_RATE_LIMIT: '100000',
    BATON_RATE_BURST: '100000',
    ...testEnvironment(),
    ...(ownDatabase
      ? { BATON_QUEUE_PREFIX: `${process.env.BATON_TEST_QUEUE_PREFIX}_${randomBytes(3).toString('hex')}` }
      : {}),
    ...options.env,
  };
  const child = spawn(process.execPath, ['--enable-source-maps', ENTRY[app]], {
    cwd: ROOT,
    env: Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Baton did not start in time:\n${output}`)),
      options.timeoutMs ?? 30_000,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+?)[\s)"]/.exec(output);
      if (options.ready ? options.ready.test(output) : match) {
        clearTimeout(timer);
        resolve(match?.[1] ?? '');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`Baton exited with ${code} before listening:\n${output}`));
    });
  });
  let stopping = false;
  void exited.then((code) => {
    // A Baton that dies under a test is the finding: say so with its last words.
    if (!stopping)
      console.error(`Baton exited unexpectedly (${code ?? child.signalCode}):\n${output.slice(-6000)}`);
  });
  return {
    url,
    adminToken,
    child,
    output: () => output,
    stop: async (signal: NodeJS.Signals = 'SIGINT') => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
