import { describe, expect, it } from '@jest/globals';
import { correlation, requestIdFrom, withCorrelation } from './correlation.js';

describe('request ids', () => {
  it("keeps a caller's sane id and replaces anything else with a new UUID", () => {
    expect(requestIdFrom('lb-7f3a.42')).toBe('lb-7f3a.42');
    expect(requestIdFrom(['first', 'second'])).toBe('first');
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(requestIdFrom(undefined)).toMatch(uuid);
    expect(requestIdFrom('')).toMatch(uuid);
    expect(requestIdFrom('has space')).toMatch(uuid);
    expect(requestIdFrom('line\nbreak')).toMatch(uuid);
    expect(requestIdFrom('x'.repeat(129))).toMatch(uuid);
    expect(requestIdFrom('x'.repeat(128))).toBe('x'.repeat(128));
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
  });

  it('follows the work across awaits and timers, and not outside it', async () => {
    expect(correlation()).toBeUndefined();
    const seen = await withCorrelation({ requestId: 'r-1' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      const inner = await new Promise<string | undefined>((resolve) =>
        setImmediate(() => resolve(correlation()?.requestId)),
      );
      return [correlation()?.requestId, inner];
    });
    expect(seen).toEqual(['r-1', 'r-1']);
    expect(correlation()).toBeUndefined();
  });
});
