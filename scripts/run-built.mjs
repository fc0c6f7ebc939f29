// `npm start`, `npm run start:api` and `npm run start:worker`: run a built entry point in this process,
// building first only when dist/ was not built from the sources as they are now (scripts/build.mjs): a
// fresh clone or a changed tree builds; an unchanged one starts at once, with no second npm and no swc.
import module from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, isBuilt } from './build.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const entry = process.argv[2];
if (!entry) {
  process.stderr.write('usage: node scripts/run-built.mjs dist/apps/<app>/src/main.js\n');
  process.exit(2);
}
// Node 22.1 and later keep compiled code between starts (most of a start is loading modules); Node 20 has no
// compile cache, and this does nothing there.
module.enableCompileCache?.();
if (!(await isBuilt(entry))) {
  process.stdout.write('[baton] Building (the sources changed since the last build, or there is none)\n');
  if (!(await build())) process.exit(1);
}
await import(pathToFileURL(join(ROOT, entry)).href);
