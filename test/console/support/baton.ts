// Baton as `npm start` runs it (the same command line, read from package.json), on the database and queue
// prefix the test services give it, on a free port; stopped with SIGINT like Ctrl+C.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface RunningBaton {
  url: string;
  adminToken: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** `npm start`'s command, with this Node for `node`: `node --max-old-space-size=... scripts/run-built.mjs ...`. */
function startCommand(): string[] {
  const scripts = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts;
  const words = scripts.start.trim().split(/\s+/);
  if (words[0] !== 'node') throw new Error(`npm start is no longer "node ...": ${scripts.start}`);
  return words.slice(1);
}

export async function startBaton(env: Record<string, string | undefined>): Promise<RunningBaton> {
  const adminToken = env.BATON_ADMIN_TOKEN ?? `console_admin_${randomBytes(16).toString('hex')}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'baton-console-'));
  const child = spawn(process.execPath, startCommand(), {
    cwd: ROOT,
    env: Object.fromEntries(
      Object.entries({
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: '0',
        HOST: '127.0.0.1',
        BATON_DATA_DIR: dataDir,
        BATON_LOG_LEVEL: 'warn',
        BATON_LOG_FORMAT: 'pretty',
        NO_COLOR: '1',
        ...env,
        BATON_ADMIN_TOKEN: adminToken,
      }).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Baton did not start in 90 s:\n${output}`)), 90_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+?)[\s)]/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`Baton exited (${child.exitCode ?? child.signalCode}) before listening:\n${output}`));
    });
  });
  void exited.then(() => {
    if (!stopping)
      process.stderr.write(`[console tests] Baton exited unexpectedly:\n${output.slice(-6000)}\n`);
  });
  // Listening is not ready: /health answers 200 once PostgreSQL and the queues answer.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const status = await fetch(`${url}/health`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) break;
    if (Date.now() > deadline) throw new Error(`/health answered ${status} for 30 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    adminToken,
    child,
    output: () => output,
    stop: async () => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT');
        const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(killer);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
