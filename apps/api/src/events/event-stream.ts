import { type FastifyReply } from 'fastify';
import { type EventPosition } from '@baton/persistence';
import { type StreamedEvent, type StreamSink } from './event-hub.js';
import { type EventResponse } from './event.responses.js';

/** A comment line this often keeps proxies from closing an idle stream. */
const KEEP_ALIVE_MS = 15_000;
/** A client this far behind is cut off; it reconnects with Last-Event-ID and misses nothing. */
const MAX_UNSENT_BYTES = 1024 * 1024;

export interface EventStreamOptions {
  /** Where the stream starts, sent as its first `id:` when the client named none. */
  announce: EventPosition | null;
  accepts: (event: EventResponse) => boolean;
  /** Asked at each keep-alive: false ends the stream (the token was revoked). */
  stillAllowed: () => Promise<boolean>;
}

/**
 * Takes the reply over (Fastify leaves it alone from here) and writes server-sent events to it: the headers
 * Baton gives every response, the event-stream ones, then frames. Returns the hub's sink; `closed` resolves
 * when the client goes away or the stream is ended.
 */
export function openEventStream(
  reply: FastifyReply,
  options: EventStreamOptions,
): { sink: StreamSink; closed: Promise<void> } {
  const raw = reply.raw;
  reply.hijack();
  const headers = Object.fromEntries(
    Object.entries(reply.getHeaders()).filter(([, value]) => value !== undefined),
  ) as Record<string, string | string[] | number>;
  raw.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  });
  // The socket's idle timeout (BATON_REQUEST_TIMEOUT_MS) is for requests; a stream is quiet for longer.
  raw.socket?.setTimeout(0);
  raw.write(`retry: 2000\n${options.announce ? `id: ${options.announce.id}\n` : ''}\n`);
  const end = (): void => {
    if (!raw.writableEnded) raw.end();
  };
  const write = (text: string): void => {
    if (raw.writableEnded || raw.destroyed) return;
    if (raw.writableLength > MAX_UNSENT_BYTES) return end();
    raw.write(text);
  };
  const keepAlive = setInterval(() => {
    options.stillAllowed().then(
      (allowed) => (allowed ? write(': keep-alive\n\n') : end()),
      () => write(': keep-alive\n\n'),
    );
  }, KEEP_ALIVE_MS);
  const closed = new Promise<void>((resolve) =>
    raw.once('close', () => {
      clearInterval(keepAlive);
      resolve();
    }),
  );
  return {
    sink: {
      accepts: options.accepts,
      send: ({ event }: StreamedEvent) =>
        write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`),
      end,
    },
    closed,
  };
}
