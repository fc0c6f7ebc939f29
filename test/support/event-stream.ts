// Reads GET /v1/events as a browser's fetch would: the frames as they arrive, parsed as the EventSource
// specification parses them (fields, comments, blank-line dispatch).

export interface StreamFrame {
  id?: string;
  event?: string;
  data?: string;
  retry?: string;
  comments: string[];
}

export interface OpenStream {
  status: number;
  headers: Headers;
  /** Every frame so far, comments-only and id-only frames included. */
  frames: StreamFrame[];
  /** The frames that dispatch an event (they carry data). */
  events(): { id: string; event: string; data: any }[];
  /** Resolves when the server ends the stream (or it is closed). */
  ended: Promise<void>;
  /** Waits until `done(frames)` holds; throws after `timeoutMs` with what was seen. */
  until(done: (stream: OpenStream) => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): void;
}

export async function openEventStream(
  baseUrl: string,
  token: string,
  options: { query?: string; lastEventId?: string } = {},
): Promise<OpenStream> {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/v1/events${options.query ? `?${options.query}` : ''}`, {
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'text/event-stream',
      ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}),
    },
    signal: controller.signal,
  });
  const frames: StreamFrame[] = [];
  const waiters = new Set<() => void>();
  const notify = (): void => {
    for (const waiter of waiters) waiter();
  };
  let current: StreamFrame = { comments: [] };
  let pending = '';
  const onLine = (line: string): void => {
    if (line === '') {
      frames.push(current);
      current = { comments: [] };
      return;
    }
    if (line.startsWith(':')) {
      current.comments.push(line.slice(1).trim());
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') current.data = current.data === undefined ? value : `${current.data}\n${value}`;
    else if (field === 'id' || field === 'event' || field === 'retry') current[field] = value;
  };
  const ended = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        pending += decoder.decode(chunk, { stream: true });
        const lines = pending.split(/\r\n|\r|\n/);
        pending = lines.pop() ?? '';
        lines.forEach(onLine);
        notify();
      }
    } catch {
      // aborted by close(), or the server went away
    }
    notify();
  })();
  let isEnded = false;
  void ended.then(() => {
    isEnded = true;
    notify();
  });
  const stream: OpenStream = {
    status: response.status,
    headers: response.headers,
    frames,
    events: () =>
      frames
        .filter((frame) => frame.data !== undefined)
        .map((frame) => ({ id: frame.id!, event: frame.event!, data: JSON.parse(frame.data!) })),
    ended,
    until: (done, what, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (done(stream)) {
            finish();
            resolve();
          } else if (isEnded) {
            finish();
            reject(
              new Error(`The stream ended before ${what}; frames: ${JSON.stringify(frames).slice(-3000)}`),
            );
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(
            new Error(
              `Timed out after ${timeoutMs} ms waiting for ${what}; frames: ${JSON.stringify(frames).slice(-3000)}`,
            ),
          );
        }, timeoutMs);
        const finish = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
    close: () => controller.abort(),
  };
  return stream;
}
