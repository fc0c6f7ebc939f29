import { Injectable } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type BatonConfig } from '@baton/config';
import { runUntilSignal } from '@baton/core';
import { AppError, AppErrorCode } from '@baton/errors';
import { type Socket } from 'node:net';
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';

/** Seconds a refused client is asked to wait: another api (or this one's successor) takes it by then. */
export const DRAIN_RETRY_AFTER_S = 1;

/** Requests that are not counted in flight nor refused: the probes, and the event stream (it is ended on close). */
function exempt(request: FastifyRequest): 'probe' | 'stream' | null {
  const path = request.url.split('?', 1)[0];
  if (path === '/health' || path.startsWith('/health/')) return 'probe';
  if (path === '/v1/events') return 'stream';
  return null;
}

export interface DrainOutcome {
  /** Requests still running when the wait ended (0 unless `timeoutMs` ran out). */
  unfinished: number;
  /** Connections other than event streams still open when the wait ended. */
  connections: number;
  /** Requests refused with 503 while draining, up to the moment the drain returned. */
  refused: number;
  ms: number;
}

/**
 * How long Baton keeps an idle keep-alive connection open (Node's own default; Fastify's is 72 s). HTTP
 * clients stop reusing a connection before the time the server announces, so once a stopping api answers
 * every request with `Connection: close`, each connection a client holds is closed by one side or the other
 * within this time, and none is cut while a request is on its way (which the client would see as a reset,
 * not knowing whether the request ran).
 */
export const KEEP_ALIVE_TIMEOUT_MS = 5000;

/**
 * The api's part of a graceful stop. `drain` marks the process as stopping: `/health/ready` answers 503 at
 * once (a load balancer takes the process out of rotation); after the drain delay every new request but the
 * probes is refused with 503 `SERVICE.STOPPING` and `Retry-After` (nothing of it has run, so a client may
 * send it elsewhere as it is) and every answer closes its connection; the drain ends when the requests that
 * were running have finished and the clients' connections are closed, event streams aside (the application's
 * close ends those; browsers reconnect elsewhere with Last-Event-ID). `/health/live` stays 200.
 */
@Injectable()
export class HttpDrain {
  /** Readiness says 503 from here on. */
  private notReady = false;
  /** New requests are refused, and every answer closes its connection, from here on. */
  private refusing = false;
  private inFlight = 0;
  private refused = 0;
  private readonly connections = new Set<Socket>();
  private readonly streams = new WeakSet<Socket>();
  private idle: (() => void)[] = [];
  private waitForConnections = true;

  get draining(): boolean {
    return this.notReady;
  }

  /**
   * Counts connections and requests in flight, and refuses new requests once draining: an onRequest hook, so
   * nothing of a refused request has run.
   */
  register(fastify: FastifyInstance, refuse: (reply: FastifyReply, error: AppError) => void): void {
    fastify.server.on('connection', (socket: Socket) => {
      this.connections.add(socket);
      socket.once('close', () => {
        this.connections.delete(socket);
        this.wakeIfDrained();
      });
    });
    fastify.addHook('onRequest', (request, reply, done) => {
      const kind = exempt(request);
      if (kind === 'stream') this.streams.add(request.raw.socket);
      if (kind !== null) return done();
      if (this.refusing) {
        this.refused++;
        void reply.header('retry-after', String(DRAIN_RETRY_AFTER_S));
        refuse(
          reply,
          new AppError(AppErrorCode.Stopping, 'This Baton api is stopping; send the request again', {
            retryAfter: DRAIN_RETRY_AFTER_S,
          }),
        );
        return;
      }
      this.inFlight++;
      // 'close' comes once the answer is sent or the client went away, whichever path the request took.
      reply.raw.once('close', () => {
        this.inFlight--;
        this.wakeIfDrained();
      });
      done();
    });
    fastify.addHook('onSend', async (_request, reply, payload) => {
      if (this.refusing) void reply.header('connection', 'close');
      return payload;
    });
  }

  /**
   * Says not ready, starts refusing after `delayMs` (a load balancer that polls readiness needs a moment to
   * take the process out of rotation; meanwhile requests are served), then waits, at most `timeoutMs`, for
   * the running requests to finish and the connections to close.
   */
  async drain({
    delayMs = 0,
    timeoutMs,
    connections = true,
  }: {
    delayMs?: number;
    timeoutMs: number;
    /** Wait for the connections to close too (false: for the running requests only). */
    connections?: boolean;
  }): Promise<DrainOutcome> {
    const started = performance.now();
    this.notReady = true;
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    this.refusing = true;
    this.waitForConnections = connections;
    // A connection ends after its next answer (which says close), or idle within KEEP_ALIVE_TIMEOUT_MS.
    if (!this.drained()) {
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, timeoutMs);
        this.idle.push(wake);
      });
    }
    return {
      unfinished: this.inFlight,
      connections: this.openConnections(),
      refused: this.refused,
      ms: Math.round(performance.now() - started),
    };
  }

  private openConnections(): number {
    return [...this.connections].filter((socket) => !this.streams.has(socket)).length;
  }

  private drained(): boolean {
    return this.inFlight === 0 && (!this.waitForConnections || this.openConnections() === 0);
  }

  private wakeIfDrained(): void {
    if (this.refusing && this.drained()) for (const wake of this.idle.splice(0)) wake();
  }
}

/**
 * The api's stop after SIGTERM (or Ctrl+C, which does not wait for idle connections): not ready at once, refusing after the drain delay, the running requests
 * finished and the connections closed (within the stop timeout, less 4 s), then the application closed (open event streams end; their
 * browsers reconnect elsewhere with Last-Event-ID).
 */
export async function stopHttpApp(
  app: NestFastifyApplication,
  config: Pick<BatonConfig, 'stop'>,
  log: (line: string) => void,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  // Ctrl+C is a person at a terminal: the running requests finish, the connections are not waited for.
  const interactive = signal === 'SIGINT';
  const { unfinished, connections, refused, ms } = await app.get(HttpDrain).drain({
    connections: !interactive,
    delayMs: config.stop.drainDelayMs,
    // What is left of the stop timeout after the drain is enough to close the application and the runtime.
    timeoutMs: Math.max(1000, config.stop.timeoutMs - 4000),
  });
  if (refused > 0 || unfinished > 0 || connections > 0) {
    log(
      `Stopped taking requests in ${ms} ms: ${refused} refused with 503 while draining, ` +
        (unfinished === 0 ? 'every running request finished' : `${unfinished} still running`) +
        (connections === 0 ? '' : `, ${connections} connections still open`),
    );
  }
  await app.close();
}

/**
 * From here on Ctrl+C and SIGTERM stop the process in order: the HTTP application (stopHttpApp), then the
 * runtime (database, queues), within the drain delay and the stop timeout.
 */
export function stopOnSignal(
  app: NestFastifyApplication,
  runtime: { close(): Promise<void> },
  config: Pick<BatonConfig, 'stop'>,
  log: (line: string) => void,
): void {
  runUntilSignal(
    async (signal) => {
      await stopHttpApp(app, config, log, signal);
      await runtime.close();
    },
    log,
    config.stop.drainDelayMs + config.stop.timeoutMs,
  );
}
