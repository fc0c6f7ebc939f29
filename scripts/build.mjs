// `npm run build`: swc over apps/ and libs/ into dist/ (apps/console aside), then a record of the sources it
// built from (dist/.build-sources), which `npm start` compares with the sources as they are to skip a build
// that would change nothing (scripts/run-built.mjs). The console (apps/console, a Vite app) is built into
// dist/console/ by a step of its own with a record of its own (dist/.console-sources), and only when its
// sources changed: a server change does not rebuild the console, nor a console change the server.
//
// A record lists the path, size and modification time of every file it covers (tests aside), the tool's
// configuration and version: any difference, a file added or removed included, means the output may be
// stale. A source changed while the tool ran leaves no record, so the next start builds again.
import { spawnSync } from 'node:child_process';
import { readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RECORD = join(ROOT, 'dist', '.build-sources');
const SOURCES = ['apps', 'libs'];
const CONSOLE = join('apps', 'console');
const SWC_ARGS = [
  ...SOURCES,
  '-d',
  'dist',
  '--ignore',
  '**/*.spec.ts',
  '--ignore',
  'apps/console/**',
  '--quiet',
];

const CONSOLE_RECORD = join(ROOT, 'dist', '.console-sources');
const CONSOLE_OUT = join(ROOT, 'dist', 'console');
const VITE_BIN = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
const VITE_ARGS = ['build', '--config', join(CONSOLE, 'vite.config.ts'), '--logLevel', 'warn'];
/** All of the console's JavaScript, gzipped (issue 12's budget). */
const CONSOLE_JS_BUDGET = 250 * 1024;

async function files(directory, skip = () => false) {
  const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(directory, entry.name);
      if (skip(path)) return [];
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : files(path, skip);
      // Tests are left out of both outputs, so their changes need no build.
      return entry.name.endsWith('.spec.ts') ? [] : [path];
    }),
  );
  return nested.flat();
}

async function stateOf(paths) {
  return Promise.all(
    paths.sort().map(async (path) => {
      const info = await stat(path);
      return `${relative(ROOT, path)}\t${info.size}\t${info.mtimeMs}`;
    }),
  );
}

const read = (path) => readFile(join(ROOT, path), 'utf8').catch(() => '');
const versionOf = async (name) =>
  JSON.parse((await read(`node_modules/${name}/package.json`)) || '{}').version;

/** What the server build reads, as one text: equal texts, equal builds. */
async function sourceState() {
  const consoleDir = join(ROOT, CONSOLE);
  const paths = (
    await Promise.all(SOURCES.map((name) => files(join(ROOT, name), (path) => path === consoleDir)))
  ).flat();
  const lines = await stateOf(paths);
  return [
    `swc\t${await versionOf('@swc/core')}\t${SWC_ARGS.join(' ')}`,
    `.swcrc\t${await read('.swcrc')}`,
    ...lines,
  ].join('\n');
}

/** What the console build reads: its sources and the versions of what Vite bundles. */
async function consoleSourceState() {
  const lines = await stateOf(await files(join(ROOT, CONSOLE)));
  const versions = await Promise.all(
    ['vite', 'react', 'react-dom', 'openapi-fetch'].map(async (name) => `${name}\t${await versionOf(name)}`),
  );
  return [`vite\t${VITE_ARGS.join(' ')}`, ...versions, ...lines].join('\n');
}

/** Builds the server into dist/ and records what from; false if swc failed. */
export async function build() {
  const before = await sourceState();
  await rm(RECORD, { force: true });
  const swc = join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'swc.cmd' : 'swc');
  const result = spawnSync(swc, SWC_ARGS, {
    cwd: ROOT,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) return false;
  if ((await sourceState()) === before) await writeFile(RECORD, before);
  return true;
}

/** Whether dist/ was built from the sources as they are now, `entry` included. */
export async function isBuilt(entry) {
  const [state, recorded, present] = await Promise.all([
    sourceState(),
    readFile(RECORD, 'utf8').catch(() => null),
    stat(join(ROOT, entry)).then(
      () => true,
      () => false,
    ),
  ]);
  return present && state === recorded;
}

/** Whether dist/console/ was built from the console's sources as they are now. */
export async function isConsoleBuilt() {
  const [state, recorded, present] = await Promise.all([
    consoleSourceState(),
    readFile(CONSOLE_RECORD, 'utf8').catch(() => null),
    stat(join(CONSOLE_OUT, 'index.html')).then(
      () => true,
      () => false,
    ),
  ]);
  return present && state === recorded;
}

/** The gzipped size of every JavaScript file the console ships, in bytes. */
export async function consoleJsGzip() {
  const assets = await files(join(CONSOLE_OUT, 'assets'));
  const sizes = await Promise.all(
    assets.filter((path) => path.endsWith('.js')).map(async (path) => gzipSync(await readFile(path)).length),
  );
  return sizes.reduce((sum, size) => sum + size, 0);
}

/**
 * Builds the console into dist/console/ with Vite (in a child process: the server's heap stays small) and
 * records what from; says how big its JavaScript is against the budget. true when built (or nothing to
 * build with: an install without dev dependencies keeps the dist/console/ it was given).
 */
export async function buildConsole(log = (line) => process.stdout.write(`${line}\n`)) {
  if (
    !(await stat(VITE_BIN).then(
      () => true,
      () => false,
    ))
  ) {
    log('[baton] Console: not built (Vite is not installed: npm ci installs it); the API works without it');
    return true;
  }
  const started = performance.now();
  const before = await consoleSourceState();
  await rm(CONSOLE_RECORD, { force: true });
  const result = spawnSync(process.execPath, [VITE_BIN, ...VITE_ARGS], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) return false;
  const gzip = await consoleJsGzip();
  const within = gzip <= CONSOLE_JS_BUDGET;
  log(
    `[baton] Console: built into dist/console in ${Math.round(performance.now() - started)} ms; ` +
      `JavaScript ${(gzip / 1024).toFixed(1)} KB gzip (budget ${CONSOLE_JS_BUDGET / 1024} KB${within ? '' : ': OVER'})`,
  );
  if (!within) return false;
  if ((await consoleSourceState()) === before) await writeFile(CONSOLE_RECORD, before);
  return true;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = await build();
  // The console only when its sources changed, unless asked (--console forces it).
  const consoleOk =
    !process.argv.includes('--console') && (await isConsoleBuilt()) ? true : await buildConsole();
  process.exitCode = server && consoleOk ? 0 : 1;
}
