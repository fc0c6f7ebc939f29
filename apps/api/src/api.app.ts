import { type IncomingMessage } from 'node:http';
import { type DynamicModule, Logger, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { AppError, AppErrorCode } from '@baton/errors';
import { type BatonConfig } from '@baton/config';
import { BatonLogger, Metrics } from '@baton/core';
import { Access } from '@baton/access';
import { Queues } from '@baton/queues';
import { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { createOpenApiDocument } from './http/openapi/openapi-document.js';
import { ProblemFilter, sendProblem, toProblem } from './http/errors/problem.filter.js';
import { problem } from './http/errors/problem.js';
import { RateLimit } from './http/limits/rate-limiter.js';
import { HttpDrain } from './http/lifecycle/http-drain.js';
import { nameRequestSpan, requestIdOf, trailedServer } from './http/lifecycle/request-trail.js';
import {
  acceptEmptyJson,
  answerExpectContinue,
  clientErrorProblem,
  drainBody,
} from './http/limits/request-body.js';
import { ConsoleAssets, DEFAULT_CONSOLE_DIR } from './http/console/console-assets.js';
import { registerConsole } from './http/console/console-routes.js';
import { registerQueueBoard } from './http/queue-board/queue-board-routes.js';
import { QueueBoardSessions } from './admin/queue-board-sessions.js';

const BASE_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
};
// The API serves JSON only; Swagger UI at /docs needs its own scripts and styles.
const API_CSP = "default-src 'none'; frame-ancestors 'none'";
const DOCS_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

function securityHeaders(url: string): Record<string, string> {
  return { ...BASE_HEADERS, 'content-security-policy': url.startsWith('/docs') ? DOCS_CSP : API_CSP };
}

function harden(
  fastify: FastifyInstance,
  config: BatonConfig,
  limits: RateLimit,
  metrics: Metrics,
  drain: HttpDrain,
  logger: Logger,
): void {
  answerExpectContinue(fastify.server, config.bodyLimit, securityHeaders);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(securityHeaders(request.url));
    done();
  });
  drain.register(fastify, (reply, error) => sendProblem(reply, toProblem(error, logger)));
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.url === '/health' || request.url.startsWith('/health/')) return done();
    void limits.take(request.headers.authorization, request.ip).then(({ wait, by }) => {
      if (wait === 0) return done();
      metrics.rateLimited.inc({ by });
      void reply.header('retry-after', String(wait));
      sendProblem(
        reply,
        toProblem(
          new AppError(AppErrorCode.RateLimited, `Too many requests; try again in ${wait} s`, {
            retryAfter: wait,
          }),
          logger,
        ),
      );
    }, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    nameRequestSpan(request.raw, route);
    metrics.httpRequests.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
  // An answer sent before the body was read (413, 429) would reach a client still sending as a reset
  // connection: the rest of the body is read first, within bounds.
  fastify.addHook('onSend', async (request, _reply, payload) => {
    if (!request.raw.complete) await drainBody(request.raw, config.bodyLimit);
    return payload;
  });
}

/**
 * The HTTP application around `root` (a module importing CoreModule and ApiModule, plus the worker when
 * one process runs both): Fastify with the body limit, request timeout, rate limit and security headers,
 * CORS closed unless BATON_CORS_ORIGINS names origins, problem+json for every error, OpenAPI at /docs; the
 * console at / (its built files, dist/console or BATON_CONSOLE_DIR) and bull-board at /admin/queues.
 */
export async function createHttpApp(
  root: Type | DynamicModule,
  config: BatonConfig,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimit,
    // A hop count: believe that many proxies nearest to Baton (what Fastify does with a number).
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (_address: string, hop: number) => hop < (config.trustProxy as number)
        : config.trustProxy,
    return503OnClosing: true,
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.requestTimeoutMs,
    // A path parameter longer than any id, or a URL that does not decode: a malformed id, 400 (API.md).
    routerOptions: { maxParamLength: 200 },
    clientErrorHandler: (error: NodeJS.ErrnoException, socket) =>
      clientErrorProblem(error, socket, securityHeaders('/')),
    // Each request gets its id and its span before Fastify sees it (request-trail.ts).
    serverFactory: trailedServer,
    genReqId: (req: IncomingMessage) => requestIdOf(req),
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      sendProblem(reply, problem(400, `The URL is malformed: ${error.message}`, `HTTP.${error.code}`));
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(BatonLogger));
  const logger = new Logger('Http');
  const fastify = app.getHttpAdapter().getInstance();
  harden(fastify, config, app.get(RateLimit), app.get(Metrics), app.get(HttpDrain), logger);
  // The console's files are read once Baton listens (or at the first request for them), not on the way there.
  const consoleAssets = new ConsoleAssets(config.consoleDir ?? DEFAULT_CONSOLE_DIR);
  registerConsole(fastify, consoleAssets, { oidcIssuer: config.oidc?.issuer ?? null });
  fastify.addHook('onListen', (done) => {
    void consoleAssets.load();
    done();
  });
  const sessions = app.get(QueueBoardSessions);
  registerQueueBoard(
    fastify,
    { access: app.get(Access), principalOfSession: (id) => sessions.principalOf(id) },
    app.get(Queues),
  );
  acceptEmptyJson(app, config.bodyLimit);
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: [
        'authorization',
        'content-type',
        'if-match',
        'idempotency-key',
        'x-request-id',
        'traceparent',
        'tracestate',
      ],
      exposedHeaders: ['etag', 'retry-after', 'idempotent-replayed', 'x-request-id'],
      maxAge: 600,
    });
  }
  app.useGlobalFilters(new ProblemFilter(config.bodyLimit));
  // Built on the first request for it, not at start: converting every schema takes a few hundred ms.
  SwaggerModule.setup('docs', app, () => createOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  return app;
}
