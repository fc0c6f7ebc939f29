// `npm start`, `npm run start:api` and `npm run start:worker`: run a built entry point in this process,
// building first only when dist/ was not built from the sources as they are now (scripts/build.mjs): a
// fresh clone or a changed tree builds; an unchanged one starts at once, with no second npm and no swc.
// The console (dist/console/, served by the api at /) is checked the same way, by its own record.
import module from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, buildConsole, isBuilt, isConsoleBuilt } from './build.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const entry = process.argv[2];
if (!entry) {
  process.stderr.write('usage: node scripts/run-built.mjs dist/apps/<app>/src/main.js\n');
  process.exit(2);
}
// Node 22.1 and later keep compiled code between starts (most of a start is loading modules); Node 20 has no
// compile cache, and this does nothing there.
module.enableCompileCache?.();
// The worker serves no HTTP: it needs no console.
const servesConsole = !entry.includes('/worker/');
const [serverBuilt, consoleBuilt] = await Promise.all([
  isBuilt(entry),
  servesConsole ? isConsoleBuilt() : true,
]);
if (!serverBuilt) {
  process.stdout.write('[baton] Building (the sources changed since the last build, or there is none)\n');
  if (!(await build())) process.exit(1);
}
if (!consoleBuilt) {
  process.stdout.write(
    '[baton] Building the console (its sources changed since the last build, or there is none)\n',
  );
  // A console that fails to build leaves the API running: it says so and goes on.
  if (!(await buildConsole()))
    process.stdout.write('[baton] Console: the build failed (see above); the API starts without it\n');
}
await import(pathToFileURL(join(ROOT, entry)).href);
