// GET /v1/events read with fetch (EventSource cannot send Authorization): parsed by lib/sse, reconnected
// with Last-Event-ID after a drop (so nothing is missed across an api restart), with a growing backoff.
import { createSseParser } from '../lib/sse';

export interface LiveEvent {
  id: string;
  type: string;
  deliverableId: string | null;
  data: unknown;
  occurredAt?: string;
}

export type LiveState = 'connecting' | 'open' | 'down';

export interface LiveStreamOptions {
  token: () => string | null;
  onEvent: (event: LiveEvent) => void;
  onState: (state: LiveState, retryInMs?: number) => void;
  url?: string;
}

const MIN_BACKOFF = 500;
const MAX_BACKOFF = 15_000;

export function startLiveStream(options: LiveStreamOptions): () => void {
  let stopped = false;
  let lastEventId = '';
  let backoff = MIN_BACKOFF;
  let controller: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const connect = async (): Promise<void> => {
    const token = options.token();
    if (stopped || !token) return;
    options.onState('connecting');
    controller = new AbortController();
    try {
      const headers: Record<string, string> = {
        Authorization: `Bearer ${token}`,
        Accept: 'text/event-stream',
      };
      if (lastEventId) headers['Last-Event-ID'] = lastEventId;
      const response = await fetch(options.url ?? '/v1/events', {
        headers,
        signal: controller.signal,
        cache: 'no-store',
      });
      if (!response.ok || !response.body) throw new Error(`the event stream answered ${response.status}`);
      options.onState('open');
      backoff = MIN_BACKOFF;
      const parser = createSseParser((event) => {
        let body: Partial<LiveEvent> & { data?: unknown } = {};
        try {
          body = JSON.parse(event.data) as typeof body;
        } catch {
          // not JSON: still an event, with the text as data
          body = { data: event.data };
        }
        options.onEvent({
          id: event.lastEventId,
          type: event.type,
          deliverableId: typeof body.deliverableId === 'string' ? body.deliverableId : null,
          data: body.data,
          occurredAt: body.occurredAt,
        });
      }, lastEventId);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(value);
        lastEventId = parser.lastEventId;
      }
      if (parser.retry !== null) backoff = Math.max(MIN_BACKOFF, parser.retry);
      throw new Error('the event stream ended');
    } catch {
      if (stopped) return;
      options.onState('down', backoff);
      timer = setTimeout(() => void connect(), backoff);
      backoff = Math.min(MAX_BACKOFF, backoff * 2);
    }
  };

  void connect();
  return () => {
    stopped = true;
    controller?.abort();
    if (timer) clearTimeout(timer);
  };
}
