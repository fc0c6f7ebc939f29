import { describe, expect, it } from '@jest/globals';
import { isAfter } from './event-hub.js';

describe('the event log order', () => {
  const at = (txid: string, id: string) => ({ txid, id });

  it('goes by transaction id as a number (not as text), then by event id', () => {
    expect(isAfter(at('10', 'a'), at('9', 'f'))).toBe(true);
    expect(isAfter(at('9', 'f'), at('10', 'a'))).toBe(false);
    expect(isAfter(at('4294967296', 'a'), at('4294967295', 'f'))).toBe(true);
    expect(isAfter(at('7', '0b'), at('7', '0a'))).toBe(true);
    expect(isAfter(at('7', '0a'), at('7', '0a'))).toBe(false);
  });

  it('puts every event after the start of the log', () => {
    expect(isAfter(at('0', '00000000-0000-0000-0000-000000000000'), null)).toBe(true);
  });
});
