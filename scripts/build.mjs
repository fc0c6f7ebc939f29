// `npm run build`: swc over apps/ and libs/ into dist/, then a record of the sources it built from
// (dist/.build-sources), which `npm start` compares with the sources as they are to skip a build that would
// change nothing (scripts/run-built.mjs).
//
// The record lists the path, size and modification time of every file under apps/ and libs/ (tests
// aside), the swc configuration and version and this script's swc command: any difference, a file added or
// removed included, means dist may be stale. A source changed while swc ran leaves no record, so the next
// start builds again.
import { spawnSync } from 'node:child_process';
import { readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RECORD = join(ROOT, 'dist', '.build-sources');
const SOURCES = ['apps', 'libs'];
const SWC_ARGS = [...SOURCES, '-d', 'dist', '--ignore', '**/*.spec.ts', '--quiet'];

async function files(directory) {
  const entries = await readdir(directory, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : files(path);
      // swc leaves the tests out of dist (SWC_ARGS), so their changes need no build.
      return entry.name.endsWith('.spec.ts') ? [] : [path];
    }),
  );
  return nested.flat();
}

/** What a build reads, as one text: equal texts, equal builds. */
async function sourceState() {
  const paths = (await Promise.all(SOURCES.map((name) => files(join(ROOT, name))))).flat().sort();
  const lines = await Promise.all(
    paths.map(async (path) => {
      const info = await stat(path);
      return `${relative(ROOT, path)}\t${info.size}\t${info.mtimeMs}`;
    }),
  );
  const read = (path) => readFile(join(ROOT, path), 'utf8').catch(() => '');
  const swc = JSON.parse((await read('node_modules/@swc/core/package.json')) || '{}');
  return [`swc\t${swc.version}\t${SWC_ARGS.join(' ')}`, `.swcrc\t${await read('.swcrc')}`, ...lines].join(
    '\n',
  );
}

/** Builds dist/ and records what from; false if swc failed. */
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

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = (await build()) ? 0 : 1;
}
