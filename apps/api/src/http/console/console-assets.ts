import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/** dist/console, beside the compiled api (this file is dist/apps/api/src/http/console/console-assets.js). */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../../../../console/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set([
  '.html',
  '.js',
  '.mjs',
  '.css',
  '.json',
  '.map',
  '.webmanifest',
  '.svg',
  '.txt',
]);
/** Smaller files are sent as they are: compression would gain less than its headers cost. */
const COMPRESS_FROM = 1024;

/** One file of the console, held in memory with its compressed forms. */
export interface ConsoleFile {
  body: Buffer;
  gzip: Buffer | null;
  /** Made after the files are loaded (brotli at its best takes a while): gzip is served until then. */
  br: Buffer | null;
  etag: string;
  type: string;
}

/** How long after the files are read their brotli forms are made. */
const BROTLI_AFTER_MS = 3000;

const gzipped = promisify(gzip);
const brotli = promisify(brotliCompress);

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(directory, entry.name);
      return entry.isDirectory() ? filesUnder(path) : Promise.resolve(entry.isFile() ? [path] : []);
    }),
  );
  return nested.flat();
}

/**
 * The console's built files (index.html, assets/ with hashed names), read once into memory: not at start
 * (the warm start must not wait on them) but after Baton listens, or at the first request that needs them.
 * Files the build compressed already (`x.js.br`, `x.js.gz`) are used; others are compressed here, gzip at
 * once and brotli in the background a few seconds later. A directory without index.html is a console not built; it and a file
 * asked for but not held are looked for again, at most every 2 s (a build made while Baton runs).
 */
export class ConsoleAssets {
  private files: Promise<Map<string, ConsoleFile> | null> | null = null;
  private loadedAt = 0;
  /** index.html's size and time as read: a new build writes it anew. */
  private built: string | null = null;

  constructor(readonly directory: string) {}

  /** The files by URL path (`/index.html`, `/assets/index-3f2a.js`); null when the console is not built. */
  load(): Promise<Map<string, ConsoleFile> | null> {
    this.files ??= this.read();
    return this.files;
  }

  /**
   * Reads the directory again when a file is missing (a newer build?): at most every 2 s, and only when
   * index.html changed, so requests for files that do not exist cost a stat, not a read and compression.
   */
  async reload(): Promise<Map<string, ConsoleFile> | null> {
    const current = await this.load();
    if (Date.now() - this.loadedAt < 2000) return current;
    this.loadedAt = Date.now();
    if ((await this.indexState()) === this.built) return current;
    this.files = this.read();
    return this.files;
  }

  private async indexState(): Promise<string | null> {
    const index = await stat(join(this.directory, 'index.html')).catch(() => null);
    return index ? `${index.size}:${index.mtimeMs}` : null;
  }

  private async read(): Promise<Map<string, ConsoleFile> | null> {
    this.loadedAt = Date.now();
    this.built = await this.indexState();
    const paths = await filesUnder(this.directory).catch(() => []);
    const names = new Set(paths.map((path) => relative(this.directory, path).split(sep).join('/')));
    if (!names.has('index.html')) return null;
    const files = new Map<string, ConsoleFile>();
    const later: (() => Promise<void>)[] = [];
    await Promise.all(
      [...names]
        .filter((name) => !/\.(br|gz)$/.test(name) || !names.has(name.replace(/\.(br|gz)$/, '')))
        .map(async (name) => {
          const body = await readFile(join(this.directory, name));
          const extension = extname(name);
          const compressible = COMPRESSIBLE.has(extension) && body.length >= COMPRESS_FROM;
          const sibling = (suffix: string) =>
            names.has(`${name}${suffix}`) ? readFile(join(this.directory, `${name}${suffix}`)) : null;
          const file: ConsoleFile = {
            body,
            gzip: compressible ? ((await sibling('.gz')) ?? (await gzipped(body, { level: 9 }))) : null,
            br: compressible ? await sibling('.br') : null,
            etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
            type: TYPES[extension] ?? 'application/octet-stream',
          };
          if (compressible && file.br === null) {
            later.push(async () => {
              file.br = await brotli(body, {
                params: {
                  [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
                  [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
                },
              });
            });
          }
          files.set(`/${name}`, file);
        }),
    );
    // One at a time, in the background, once a start's first requests are answered: they only make later
    // answers smaller (brotli at its best costs some 2 ms of CPU per KiB).
    setTimeout(() => {
      void later.reduce((done, next) => done.then(next), Promise.resolve()).catch(() => undefined);
    }, BROTLI_AFTER_MS).unref();
    return files;
  }
}

/** The encoding to answer with: brotli, else gzip, when the file has it and the client takes it. */
export function chooseEncoding(acceptEncoding: string | undefined, file: ConsoleFile): 'br' | 'gzip' | null {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [token, ...parameters] = part.trim().toLowerCase().split(';');
    const q = parameters.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((value) => value !== undefined);
    if (token) accepted.set(token, q === undefined ? 1 : Number(q));
  }
  const takes = (name: string): boolean => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (file.br && takes('br')) return 'br';
  if (file.gzip && takes('gzip')) return 'gzip';
  return null;
}
