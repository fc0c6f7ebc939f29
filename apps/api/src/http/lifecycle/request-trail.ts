import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerOptions,
} from 'node:http';
import {
  contextOf,
  failed,
  inSpan,
  requestIdFrom,
  type Span,
  SpanKind,
  withCorrelation,
} from '@baton/telemetry';

const REQUEST_ID = Symbol('baton.requestId');
const SPAN = Symbol('baton.requestSpan');

interface Trailed extends IncomingMessage {
  [REQUEST_ID]?: string;
  [SPAN]?: Span;
}

/** The request id the api gave this request (X-Request-Id, also on the answer). */
export function requestIdOf(req: IncomingMessage): string {
  return (req as Trailed)[REQUEST_ID] ?? requestIdFrom(req.headers['x-request-id']);
}

/** Names the request's span after its route once Fastify matched one (`GET /v1/deliverables/:id`). */
export function nameRequestSpan(req: IncomingMessage, route: string): void {
  const span = (req as Trailed)[SPAN];
  if (!span) return;
  span.updateName(`${req.method} ${route}`);
  span.setAttribute('http.route', route);
}

interface FastifyServerOptions {
  http?: ServerOptions;
  keepAliveTimeout?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
}

/**
 * Fastify's HTTP server (with the timeouts Fastify would give its own), each request handled under its request
 * id and in a server span. The id is the caller's X-Request-Id when sane, else a new one; it is on the answer
 * and on every log line, row and job the request causes. The span continues the caller's `traceparent`, and
 * ends when the answer is sent or the connection closes.
 */
export function trailedServer(handler: RequestListener, options: FastifyServerOptions): Server {
  const server = createServer(options.http ?? {}, (req: Trailed, res) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    req[REQUEST_ID] = requestId;
    res.setHeader('x-request-id', requestId);
    const path = (req.url ?? '').split('?')[0];
    withCorrelation({ requestId }, () => {
      void inSpan(
        req.method ?? 'HTTP',
        {
          kind: SpanKind.SERVER,
          parent: contextOf(req.headers.traceparent),
          attributes: {
            'http.request.method': req.method ?? '',
            'url.path': path,
            'client.address': req.socket.remoteAddress ?? '',
            'baton.request_id': requestId,
          },
        },
        (span) =>
          new Promise<void>((resolve) => {
            req[SPAN] = span;
            let settled = false;
            const settle = (): void => {
              if (settled) return;
              settled = true;
              span.setAttribute('http.response.status_code', res.statusCode);
              if (res.statusCode >= 500) failed(span, new Error(`answered ${res.statusCode}`));
              resolve();
            };
            res.once('finish', settle);
            res.once('close', settle);
            handler(req, res);
          }),
      );
    });
  });
  server.keepAliveTimeout = options.keepAliveTimeout ?? 72_000;
  if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
  if (options.connectionTimeout !== undefined) server.setTimeout(options.connectionTimeout);
  return server;
}
