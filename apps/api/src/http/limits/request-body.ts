import { type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import { type Duplex } from 'node:stream';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type FastifyInstance } from 'fastify';
import { type Problem, problem } from '../errors/problem.js';

/** How much of an oversized body is read and thrown away, as a multiple of the limit, before the connection closes. */
const DRAIN_FACTOR = 4;
/** The longest an oversized body is drained for. */
const DRAIN_MS = 10_000;

function bytes(size: number): string {
  if (size % (1024 * 1024) === 0) return `${size / (1024 * 1024)} MiB`;
  if (size % 1024 === 0) return `${size / 1024} KiB`;
  return `${size} bytes`;
}

export function bodyTooLarge(limit: number): Problem {
  return problem(
    413,
    `The request body is larger than the limit of ${bytes(limit)}`,
    'HTTP.FST_ERR_CTP_BODY_TOO_LARGE',
  );
}

/**
 * JSON bodies, with an empty one read as no body: clients and generated SDKs send `Content-Type:
 * application/json` with nothing after it on actions that take no body. Where a body is required, its
 * validation then names each missing field. Anything else is Fastify's own JSON parser (prototype poisoning
 * refused).
 */
export function acceptEmptyJson(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify: FastifyInstance = app.getHttpAdapter().getInstance();
  const json = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', { bodyLimit }, (request, body, done) => {
    if (body.length === 0) return done(null, undefined);
    // Fastify's parser takes a string or a Buffer; its types name only the string, and the default server.
    void json(request as Parameters<typeof json>[0], body as unknown as string, done);
  });
}

/**
 * Reads and discards the rest of a body that is over the limit, up to DRAIN_FACTOR times the limit or
 * DRAIN_MS, so that the 413 sent after it reaches the client: closing a connection the client is still
 * writing to resets it, and the client sees EPIPE or ECONNRESET instead of the answer.
 */
export function drainBody(request: IncomingMessage, limit: number): Promise<void> {
  if (request.readableEnded || request.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let read = 0;
    const done = (): void => {
      clearTimeout(timer);
      request.off('data', onData).off('end', done).off('error', done).off('close', done);
      request.pause();
      resolve();
    };
    const onData = (chunk: Buffer): void => {
      read += chunk.length;
      if (read > DRAIN_FACTOR * limit) done();
    };
    const timer = setTimeout(done, DRAIN_MS);
    request.on('data', onData).on('end', done).on('error', done).on('close', done);
    request.resume();
  });
}

/**
 * A client that asks `Expect: 100-continue` (curl does for large bodies) with a Content-Length over the
 * limit is answered 413 at once and never sends the body; any other is told to continue.
 */
export function answerExpectContinue(
  server: Server,
  limit: number,
  headers: (url: string) => Record<string, string>,
): void {
  server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    if (Number(request.headers['content-length']) > limit) {
      const body = JSON.stringify(bodyTooLarge(limit));
      response.writeHead(413, {
        ...headers(request.url ?? '/'),
        'content-type': 'application/problem+json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        connection: 'close',
      });
      response.end(body);
      return;
    }
    response.writeContinue();
    server.emit('request', request, response);
  });
}

/**
 * What Node's HTTP parser refuses before Fastify sees a request (a request line or headers over 16 KB, a
 * malformed request, one too slow to arrive), answered as every other error is: a problem document, then the
 * connection closed, as Node would close it.
 */
export function clientErrorProblem(
  error: NodeJS.ErrnoException,
  socket: Duplex,
  headers: Record<string, string>,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, detail, code] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [
          431,
          'The request line or headers exceed 16 KB: shorten the URL or the headers',
          'HTTP.HEADER_OVERFLOW',
        ]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'The request did not arrive in time', 'HTTP.REQUEST_TIMEOUT']
        : [400, 'The request is not valid HTTP', 'HTTP.MALFORMED'];
  if (socket.writable) {
    const body = JSON.stringify(problem(status, detail, code));
    const head = Object.entries({
      ...headers,
      'content-type': 'application/problem+json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      connection: 'close',
    })
      .map(([name, value]) => `${name}: ${value}`)
      .join('\r\n');
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head}\r\n\r\n${body}`);
  }
  socket.destroy(error);
}
