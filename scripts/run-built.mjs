// `npm start`, `npm run start:api` and `npm run start:worker`: run a built entry point in this process,
// building first (`npm run build`) only when dist was not built from the sources as they are now. A
// fresh clone builds; an unchanged tree starts at once, without a second npm and swc on every start.
//
// "As they are now": the path, size and modification time of every file under apps/ and libs/, the
// swc configuration and version and the build command, compared with what the last build here recorded
// in dist/.build-sources. Any difference, a file added or removed included, builds again.
import { spawnSync } from 'node:child_process';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RECORD = join(ROOT, 'dist', '.build-sources');
const SOURCES = ['apps', 'libs'];

async function files(directory) {
  const entries = await readdir(directory, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : files(path);
      return [path];
    }),
  );
  return nested.flat();
}

/** What the build reads, as one text: equal texts, equal builds. */
async function sourceState() {
  const paths = (await Promise.all(SOURCES.map((name) => files(join(ROOT, name))))).flat().sort();
  const lines = await Promise.all(
    paths.map(async (path) => {
      const info = await stat(path);
      return `${relative(ROOT, path)}\t${info.size}\t${info.mtimeMs}`;
    }),
  );
  const read = (path) => readFile(join(ROOT, path), 'utf8').catch(() => '');
  const manifest = JSON.parse(await read('package.json'));
  const swc = JSON.parse((await read('node_modules/@swc/core/package.json')) || '{}');
  return [
    `build\t${manifest.scripts?.build}`,
    `swc\t${swc.version}`,
    `.swcrc\t${await read('.swcrc')}`,
    ...lines,
  ].join('\n');
}

const entry = process.argv[2];
if (!entry) {
  process.stderr.write('usage: node scripts/run-built.mjs dist/<app>/src/main.js\n');
  process.exit(2);
}
const [state, recorded, built] = await Promise.all([
  sourceState(),
  readFile(RECORD, 'utf8').catch(() => null),
  stat(join(ROOT, entry)).then(
    () => true,
    () => false,
  ),
]);
if (state !== recorded || !built) {
  const why =
    recorded === null ? 'first start from these sources' : 'the sources changed since the last start';
  process.stdout.write(`[baton] Building (${why})\n`);
  const build = spawnSync('npm', ['run', 'build', '--silent'], {
    cwd: ROOT,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  await writeFile(RECORD, state);
}
await import(pathToFileURL(join(ROOT, entry)).href);
