// The console: built into dist/console/ (index.html and hashed assets), served by the api at `/`.
// `npm run build` and `npm start` run it when the console's sources changed (scripts/build.mjs).
// No plugin: Vite's own transform (Oxc) compiles TSX with React's automatic runtime.
/// <reference types="node" />
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
// The Baton the dev server sends API calls to.
const target = process.env.BATON_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    // One chunk for the app, one for React: React changes less often, so it stays cached across releases.
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [{ name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ }],
        },
      },
    },
  },
  server: {
    // `npx vite --config apps/console/vite.config.ts` against a running Baton (BATON_URL) while working on it.
    proxy: { '/v1': target, '/docs-json': target, '/admin/queues': target },
  },
});
