import { describe, expect, it } from '@jest/globals';
import { ExpiringSet } from './expiring-set.js';

describe('ExpiringSet', () => {
  it('forgets a member when its time is up', () => {
    let now = 0;
    const set = new ExpiringSet(10, 1000, () => now);
    set.add('a');
    now = 999;
    expect(set.has('a')).toBe(true);
    now = 1000;
    expect(set.has('a')).toBe(false);
    expect(set.size).toBe(0);
  });

  it('holds at most max members, dropping the oldest added', () => {
    const set = new ExpiringSet(2, 60_000);
    set.add('a');
    set.add('b');
    set.add('a'); // added again: now the newest
    set.add('c');
    expect([set.has('a'), set.has('b'), set.has('c')]).toEqual([true, false, true]);
  });
});
