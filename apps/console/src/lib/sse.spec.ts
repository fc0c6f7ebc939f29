import { describe, expect, it } from '@jest/globals';
import { createSseParser, type ServerSentEvent } from './sse';

function parse(chunks: string[], lastEventId = ''): { events: ServerSentEvent[]; retry: number | null } {
  const events: ServerSentEvent[] = [];
  const parser = createSseParser((event) => events.push(event), lastEventId);
  for (const chunk of chunks) parser.push(chunk);
  return { events, retry: parser.retry };
}

describe('the SSE parser', () => {
  it('reads id, event and data, and dispatches on a blank line', () => {
    const { events } = parse(['id: 1\nevent: deliverable.status_changed\ndata: {"a":1}\n\n']);
    expect(events).toEqual([{ type: 'deliverable.status_changed', data: '{"a":1}', lastEventId: '1' }]);
  });

  it('joins data lines with a newline and names an unnamed event "message"', () => {
    expect(parse(['data: one\ndata: two\n\n']).events).toEqual([
      { type: 'message', data: 'one\ntwo', lastEventId: '' },
    ]);
  });

  it('ignores comments (the keep-alive) and events without data', () => {
    expect(parse([': keep-alive\n\n', 'event: x\n\n']).events).toEqual([]);
  });

  it('completes events split anywhere across chunks, CRLF split between chunks included', () => {
    const text = 'id: 7\r\nevent: e\r\ndata: hello\r\n\r\nid: 8\rdata: world\r\r';
    for (let cut = 0; cut <= text.length; cut++) {
      const { events } = parse([text.slice(0, cut), text.slice(cut)]);
      expect(events).toEqual([
        { type: 'e', data: 'hello', lastEventId: '7' },
        { type: 'message', data: 'world', lastEventId: '8' },
      ]);
    }
  });

  it('keeps the last event id across events and from the start, and reads retry', () => {
    const { events, retry } = parse(['retry: 2500\ndata: a\n\n'], '41');
    expect(events).toEqual([{ type: 'message', data: 'a', lastEventId: '41' }]);
    expect(retry).toBe(2500);
  });

  it('waits for the blank line: a half-received event is not dispatched', () => {
    expect(parse(['data: partial\n']).events).toEqual([]);
  });

  it('takes a field without a colon as empty, and one space after the colon off only', () => {
    expect(parse(['data\ndata:  two spaces\n\n']).events[0].data).toBe('\n two spaces');
  });
});
