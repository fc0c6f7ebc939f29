import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { sendProblem } from '../errors/problem.filter.js';
import { problem } from '../errors/problem.js';
import { chooseEncoding, type ConsoleAssets, type ConsoleFile } from './console-assets.js';

/** Paths that belong to the API, never to the console: an unknown one stays a JSON 404. */
const API_PATHS = ['/v1', '/docs', '/docs-json', '/health', '/metrics', '/admin/queues'];

export function isApiPath(path: string): boolean {
  return API_PATHS.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/** The console's pages run only its own scripts and styles, and talk to Baton and its OIDC issuer only. */
export function consoleCsp(oidcIssuer: string | null): string {
  const connect = ["'self'", ...(oidcIssuer ? [new URL(oidcIssuer).origin] : [])].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${connect}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

const acceptsHtml = (request: FastifyRequest): boolean =>
  /\btext\/html\b/i.test(request.headers.accept ?? '');

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Baton: the console is not built</title></head>
<body>
<h1>The console is not built</h1>
<p>Baton answers its API, but it finds no console to serve here. Build it with <code>npm run build</code>
(<code>npm start</code> builds it when its sources changed), or point <code>BATON_CONSOLE_DIR</code> at a built
console, then reload this page.</p>
<p>The API is at <a href="/docs">/docs</a>.</p>
</body>
</html>
`;

/**
 * The console at `/`: `/assets/*` (content-hashed: cached for a year) and every other browser path that is
 * not the API's, for requests that accept text/html, answered with index.html (the app routes in the
 * browser; `no-cache`, revalidated by ETag). Everything else keeps the answers it had: a JSON 404 problem.
 * Compressed from memory (brotli or gzip, made once), and only here: API answers are not compressed.
 */
export function registerConsole(
  fastify: FastifyInstance,
  assets: ConsoleAssets,
  options: { oidcIssuer: string | null },
): void {
  const csp = consoleCsp(options.oidcIssuer);
  // An async handler that sent its answer returns the reply (else Fastify answers again).
  const notFound = (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    sendProblem(reply, problem(404, `Cannot ${request.method} ${request.url}`));
    return reply;
  };

  const send = (
    request: FastifyRequest,
    reply: FastifyReply,
    file: ConsoleFile,
    cacheControl: string,
  ): FastifyReply => {
    void reply.headers({
      'content-security-policy': csp,
      'cache-control': cacheControl,
      etag: file.etag,
      vary: 'accept-encoding',
    });
    const match = request.headers['if-none-match'];
    if (match !== undefined && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === file.etag))
      return reply.code(304).send();
    const encoding = chooseEncoding(request.headers['accept-encoding'], file);
    void reply.header('content-type', file.type);
    if (encoding) void reply.header('content-encoding', encoding);
    return reply.send(encoding === 'br' ? file.br : encoding === 'gzip' ? file.gzip : file.body);
  };

  const notBuilt = (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (!acceptsHtml(request)) {
      sendProblem(
        reply,
        problem(
          503,
          'The console is not built: run npm run build, or set BATON_CONSOLE_DIR',
          'CONSOLE.NOT_BUILT',
        ),
      );
      return reply;
    }
    return reply
      .code(503)
      .headers({ 'content-security-policy': csp, 'cache-control': 'no-store', 'retry-after': '5' })
      .type('text/html; charset=utf-8')
      .send(NOT_BUILT_PAGE);
  };

  fastify.get('/assets/*', async (request, reply) => {
    const path = request.url.split('?')[0];
    const file = (await assets.load())?.get(path) ?? (await assets.reload())?.get(path);
    if (!file) return notFound(request, reply);
    return send(request, reply, file, 'public, max-age=31536000, immutable');
  });

  const page = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const path = request.url.split('?')[0];
    if (isApiPath(path) || !acceptsHtml(request)) {
      // A client of the API (or an unknown API path): as before the console, a JSON 404; `/` unbuilt says why.
      if (path === '/' && !(await assets.load())) return notBuilt(request, reply);
      return notFound(request, reply);
    }
    const files = (await assets.load()) ?? (await assets.reload());
    if (!files) return notBuilt(request, reply);
    // A file of the build's root (a favicon) as it is; any other path is a page of the app.
    const own = path !== '/' ? files.get(path) : undefined;
    return send(request, reply, own ?? files.get('/index.html')!, 'no-cache');
  };
  fastify.get('/', page);
  fastify.get('/*', page);
}
