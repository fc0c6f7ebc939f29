import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { AppError, AppErrorCode } from '@baton/errors';
import { Metrics } from '@baton/core';
import { Database, type EventPosition, type EventRow } from '@baton/persistence';
import { type EventResponse } from './event.responses.js';
import { presentEvent } from './event.presenter.js';

/** How often the hub reads new events while a stream is open. */
const POLL_MS = 250;
const BATCH = 500;

export interface StreamedEvent {
  position: EventPosition;
  event: EventResponse;
}

/** One open stream, as the hub sees it. */
export interface StreamSink {
  /** Whether this stream carries the event (see eventFilter). */
  accepts(event: EventResponse): boolean;
  send(streamed: StreamedEvent): void;
  /** Ends the stream (Baton stops). */
  end(): void;
}

interface Subscriber {
  sink: StreamSink;
  /** The last position this stream has been given (or passed over); null: the log's start. */
  position: EventPosition | null;
  /** Events the hub read while the stream was replaying: given once the replay is done. */
  buffer: StreamedEvent[] | null;
}

const streamedOf = (row: EventRow): StreamedEvent => ({
  position: { txid: row.txid, id: row.id },
  event: presentEvent(row),
});

/** True when `a` comes after `b` in the log (null: before everything). */
export function isAfter(a: EventPosition, b: EventPosition | null): boolean {
  if (b === null) return true;
  const ta = BigInt(a.txid);
  const tb = BigInt(b.txid);
  return ta !== tb ? ta > tb : a.id > b.id;
}

/**
 * The event streams of this api process. While at least one is open, the hub reads the events committed
 * since its last read every 250 ms (one indexed query, whatever the number of streams) and gives each stream
 * those it carries; nothing is read while none is open. The log's order (stores/event.store.ts) is the
 * order of the transactions that wrote the events, served only once no older transaction runs, so an event
 * committed late is never passed over, whichever api process it came through. A stream opened from a
 * position (Last-Event-ID) first replays what followed it, then takes the hub's events after what it
 * replayed: nothing missed, nothing twice.
 */
@Injectable()
export class EventHub implements OnModuleDestroy {
  private readonly logger = new Logger('EventHub');
  private readonly subscribers = new Set<Subscriber>();
  private position: EventPosition | null = null;
  private started: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private reading = false;
  private failures = 0;
  private closed = false;

  constructor(
    private readonly db: Database,
    metrics: Metrics,
  ) {
    metrics.gauge('baton_event_streams', 'Event streams (GET /v1/events) open in this process', [], (set) => {
      set({}, this.subscribers.size);
      return Promise.resolve();
    });
  }

  /** The position of the last event that may be served now (where a stream without Last-Event-ID starts). */
  head(): Promise<EventPosition | null> {
    return this.db.events.head();
  }

  /**
   * Opens a stream at `from`: replays what followed it, then carries new events until the returned function
   * is called. Rejects (and carries nothing) when the replay cannot be read.
   */
  async subscribe(sink: StreamSink, from: EventPosition | null, deliverableId?: string): Promise<() => void> {
    if (this.closed) throw new AppError(AppErrorCode.Unavailable, 'Baton is stopping');
    const subscriber: Subscriber = { sink, position: from, buffer: [] };
    this.subscribers.add(subscriber);
    const leave = (): void => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0) this.stop();
    };
    try {
      await this.start();
      for (let read = BATCH; read === BATCH;) {
        const rows = await this.db.events.after(subscriber.position, BATCH, deliverableId);
        for (const row of rows) this.give(subscriber, streamedOf(row));
        read = rows.length;
      }
    } catch (error) {
      leave();
      throw error;
    }
    const buffered = subscriber.buffer ?? [];
    subscriber.buffer = null;
    for (const streamed of buffered) this.give(subscriber, streamed);
    return leave;
  }

  /** Ends every stream (Baton stops: an open stream must not hold the HTTP server's close up). */
  onModuleDestroy(): void {
    this.closed = true;
    const open = [...this.subscribers];
    this.subscribers.clear();
    this.stop();
    for (const { sink } of open) sink.end();
  }

  private give(subscriber: Subscriber, streamed: StreamedEvent): void {
    if (!isAfter(streamed.position, subscriber.position)) return;
    subscriber.position = streamed.position;
    if (subscriber.sink.accepts(streamed.event)) subscriber.sink.send(streamed);
  }

  private offer(streamed: StreamedEvent): void {
    for (const subscriber of this.subscribers) {
      if (subscriber.buffer) subscriber.buffer.push(streamed);
      else this.give(subscriber, streamed);
    }
  }

  /** Starts reading from the log's head, once, when the first stream opens. */
  private start(): Promise<void> {
    if (this.started) return this.started;
    const starting: Promise<void> = this.db.events.head().then((head) => {
      if (this.started !== starting) return; // every stream closed meanwhile
      this.position = head;
      this.timer = setInterval(() => void this.read(), POLL_MS);
    });
    starting.catch(() => {
      if (this.started === starting) this.started = null;
    });
    this.started = starting;
    return starting;
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.started = null;
    this.position = null;
  }

  /** Reads what was committed since the last read and gives it to the streams. */
  private async read(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    const started = this.started;
    try {
      for (let read = BATCH; read === BATCH && this.started === started;) {
        const rows = await this.db.events.after(this.position, BATCH);
        // Stopped meanwhile (the last stream closed): what was read is no one's.
        if (this.started !== started) break;
        for (const row of rows) {
          const streamed = streamedOf(row);
          this.position = streamed.position;
          this.offer(streamed);
        }
        read = rows.length;
      }
      if (this.failures > 0) this.logger.log('Reading events again');
      this.failures = 0;
    } catch (error) {
      if (this.failures++ % 40 === 0) this.logger.warn(`Reading events failed: ${(error as Error).message}`);
    } finally {
      this.reading = false;
    }
  }
}
