// A server-sent events parser (the WHATWG event-stream grammar) for streams read with fetch: EventSource
// cannot send an Authorization header, so the console reads GET /v1/events as a body stream and parses it.

export interface ServerSentEvent {
  /** `event:`; "message" when the server named none. */
  type: string;
  data: string;
  /** The last `id:` seen on the stream so far (what Last-Event-ID sends back after a reconnect). */
  lastEventId: string;
}

export interface SseParser {
  /** Feeds one decoded chunk; calls `onEvent` for each event it completes. */
  push(chunk: string): void;
  /** The reconnection delay the server asked for with `retry:`, if any. */
  readonly retry: number | null;
  readonly lastEventId: string;
}

export function createSseParser(onEvent: (event: ServerSentEvent) => void, lastEventId = ''): SseParser {
  let buffer = '';
  let data: string[] = [];
  let type = '';
  let id = lastEventId;
  let retry: number | null = null;
  // A chunk may end between the CR and the LF of one line ending.
  let skipLeadingLf = false;

  const dispatch = (): void => {
    if (data.length === 0) {
      type = '';
      return;
    }
    onEvent({ type: type || 'message', data: data.join('\n'), lastEventId: id });
    data = [];
    type = '';
  };

  const line = (text: string): void => {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return; // a comment: the keep-alive
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        type = value;
        break;
      case 'data':
        data.push(value);
        break;
      case 'id':
        if (!value.includes('\u0000')) id = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) retry = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
  };

  return {
    push(chunk: string) {
      buffer += chunk;
      if (skipLeadingLf && buffer.startsWith('\n')) buffer = buffer.slice(1);
      skipLeadingLf = false;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const char = buffer[i];
        if (char !== '\n' && char !== '\r') continue;
        line(buffer.slice(start, i));
        if (char === '\r') {
          if (i + 1 === buffer.length) skipLeadingLf = true;
          else if (buffer[i + 1] === '\n') i++;
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
    },
    get retry() {
      return retry;
    },
    get lastEventId() {
      return id;
    },
  };
}
