// What a start prints at the default log level, through the built entry points as `npm start`,
// `npm run start:api` and `npm run start:worker` run them: a few lines naming what Baton uses, no warnings,
// no route table, no colour codes; and a line once it has stopped. In the pretty format (a terminal's) as
// `[baton] ` lines; with stdout a pipe (a log file, a container), the default, as JSON lines.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redactUrl } from '@baton/runtime';
import { testEnvironment } from '../support/baton-process.js';
import { scratchDatabase } from '../support/scratch-database.js';
import { jsonLines } from '../support/log-lines.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Started {
  child: ChildProcess;
  output(): string;
  /** SIGINT, as Ctrl-C; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts a built entry point with exactly `env` (and PATH, HOME) and waits for `ready` in its output. */
async function start(entry: string, env: Record<string, string>, ready: RegExp): Promise<Started> {
  const child = spawn(process.execPath, ['--enable-source-maps', `dist/apps/${entry}/src/main.js`], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start in time:\n${output}`)), 120_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code} before it was ready:\n${output}`));
    });
  });
  return {
    child,
    output: () => output,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}

/** Processes still running on `directory` (PostgreSQL, redis-server, their watchdogs): none once stopped. */
async function runningOn(directory: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry))) {
    const args = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    if (args.includes(directory) && !/\) [ZX] /.test(stat)) found.push(args.replace(/\0/g, ' '));
  }
  return found;
}

const LISTENING = /listening on (http:\/\/\S+?)[\s)]/;
/** Lines appear once the "ready" line has; the API docs line follows it. */
const settled = (started: Started, last: RegExp): Promise<void> =>
  new Promise((resolve) => {
    const check = (): void => (last.test(started.output()) ? resolve() : void setTimeout(check, 20));
    check();
  });

/** The default level's promises: every line is one of Baton's own, none a warning, no colour codes. */
function expectQuiet(output: string): void {
  expect(output).not.toMatch(/\x1b\[/); // eslint-disable-line no-control-regex
  expect(output).not.toMatch(/\bWARN\b|warning|FST[A-Z]+\d+|\(node:\d+\)/i);
  expect(output).not.toContain('Mapped');
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  expect(lines.filter((line) => !/^\[baton\]( |$)/.test(line))).toEqual([]);
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The JSON format's promise at the default level: Baton's own lines only, at info, none a warning. */
function expectQuietJson(output: string, service: string): string[] {
  const lines = jsonLines(output);
  expect(lines.filter((line) => line.context !== 'Baton' || line.level !== 'info')).toEqual([]);
  expect(lines.every((line) => line.service === service && typeof line.time === 'string')).toBe(true);
  expect(output).not.toMatch(/\x1b\[/); // eslint-disable-line no-control-regex
  return lines.map((line) => String(line.msg));
}

describe('start and stop output at the default log level', () => {
  const env = { BATON_LOG_LEVEL: 'log', BATON_QUEUE_PREFIX: `baton_start_${process.pid}` };
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let dataDir: string;
  let apiDataDir: string;

  beforeAll(async () => {
    scratch = await scratchDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'baton-start-output-'));
    apiDataDir = await mkdtemp(join(tmpdir(), 'baton-start-output-api-'));
  });

  afterAll(async () => {
    await scratch?.drop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(apiDataDir, { recursive: true, force: true });
  });

  it('npm start on the embedded default: says what it uses, where it listens truthfully, and that it stopped', async () => {
    const { REDIS_URL } = testEnvironment();
    const redis: Record<string, string> = REDIS_URL ? { REDIS_URL } : {};
    // First start: a new PostgreSQL cluster and the admin token, shown once. Bound to all interfaces.
    const cold = await start(
      'baton',
      { ...env, ...redis, BATON_DATA_DIR: dataDir, HOST: '0.0.0.0', BATON_LOG_FORMAT: 'pretty' },
      LISTENING,
    );
    await settled(cold, /API docs: .*\n/);
    const token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
    const url = LISTENING.exec(cold.output())![1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const port = new URL(url).port;
    expect(cold.output()).toContain(
      `Baton is listening on ${url} (bound to all interfaces, 0.0.0.0:${port})`,
    );
    expect(cold.output()).toContain(`[baton] Data folder: ${dataDir}\n`);
    expect(cold.output()).toMatch(
      new RegExp(
        `\\[baton\\] Database: embedded PostgreSQL on 127\\.0\\.0\\.1:\\d+, data in ${dataDir}/postgres`,
      ),
    );
    expect(cold.output()).toMatch(/\[baton\] Queues: .*, prefix "baton_start_\d+" \(BATON_QUEUE_PREFIX\)\n/);
    expect(cold.output()).toContain(`also kept in ${join(dataDir, 'admin-token')}`);
    expect(cold.output()).toContain(`    ${token}\n`);
    expect(cold.output()).toContain(`[baton] API docs: ${url}/docs\n`);
    expectQuiet(cold.output());
    expect(await cold.stop()).toBe(0);
    expect(cold.output()).toMatch(/\[baton\] Baton stopped \(\d+ ms\)\n$/);
    expect(await runningOn(dataDir)).toEqual([]);

    // Later starts name the token's file, never the token; this machine only on 127.0.0.1.
    const warm = await start(
      'baton',
      { ...env, ...redis, BATON_DATA_DIR: dataDir, HOST: '127.0.0.1', BATON_LOG_FORMAT: 'pretty' },
      LISTENING,
    );
    await settled(warm, /API docs: .*\n/);
    expect(warm.output()).not.toContain(token);
    expect(warm.output()).toContain(`[baton] Admin token: in ${join(dataDir, 'admin-token')}\n`);
    expect(warm.output()).toMatch(
      /listening on http:\/\/127\.0\.0\.1:\d+ \(this machine only\) - ready in \d+ ms/,
    );
    expect(warm.output()).toMatch(/\[baton\] Database: embedded PostgreSQL/);
    expectQuiet(warm.output());
    expect(warm.output()).not.toContain('previous run'); // the first stop left nothing behind
    expect(await warm.stop()).toBe(0);
    expect(warm.output()).toMatch(/\[baton\] Baton stopped \(\d+ ms\)\n$/);
    expect(await runningOn(dataDir)).toEqual([]);
  });

  it('start:api and start:worker on a pipe: the same few lines as JSON, and a stopped line', async () => {
    const services = { ...testEnvironment(), ...env, DATABASE_URL: scratch.url, BATON_DATA_DIR: apiDataDir };
    const api = await start('api', { ...services, HOST: '127.0.0.1' }, LISTENING);
    await settled(api, /API docs: /);
    const said = expectQuietJson(api.output(), 'baton-api');
    expect(said).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^Database: ${escape(redactUrl(scratch.url))} \\(DATABASE_URL\\); applied \\d+ migrations$`,
        ),
      ),
    );
    expect(said.some((line) => line.startsWith('Queues: '))).toBe(true);
    expect(said.some((line) => line.includes(`also kept in ${join(apiDataDir, 'admin-token')}`))).toBe(true);
    expect(said.some((line) => /^API docs: http:\/\/127\.0\.0\.1:\d+\/docs$/.test(line))).toBe(true);

    const worker = await start('worker', services, /Baton worker running/);
    const workerSaid = expectQuietJson(worker.output(), 'baton-worker');
    expect(workerSaid).toContain(`Database: ${redactUrl(scratch.url)} (DATABASE_URL)`);
    expect(workerSaid.some((line) => line.startsWith('Queues: '))).toBe(true);

    expect(await worker.stop()).toBe(0);
    expect(await api.stop()).toBe(0);
    expect(expectQuietJson(worker.output(), 'baton-worker').at(-1)).toMatch(/^Baton stopped \(\d+ ms\)$/);
    expect(expectQuietJson(api.output(), 'baton-api').at(-1)).toMatch(/^Baton stopped \(\d+ ms\)$/);
  });

  it('shows the route table and Nest start-up at debug, as JSON lines with their class', async () => {
    const services = { ...testEnvironment(), ...env, DATABASE_URL: scratch.url, BATON_DATA_DIR: apiDataDir };
    const api = await start('api', { ...services, HOST: '127.0.0.1', BATON_LOG_LEVEL: 'debug' }, LISTENING);
    const lines = jsonLines(api.output());
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'debug',
        context: 'RouterExplorer',
        msg: 'Mapped {/health, GET} route',
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        context: 'Baton',
        msg: `Admin token: in ${join(apiDataDir, 'admin-token')}`,
      }),
    );
    expect(lines.some((line) => line.context === 'InstanceLoader')).toBe(false); // module initialisation: verbose
    expect(api.output()).not.toMatch(/\x1b\[/); // eslint-disable-line no-control-regex
    expect(await api.stop()).toBe(0);
  });
});
