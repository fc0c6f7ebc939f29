import { describe, expect, it } from '@jest/globals';
import { conflictsOf, type CalendarEvent } from './calendar-events';

const at = (day: number, hour: number) => new Date(Date.UTC(2026, 11, day, hour));
const window = (id: string, serviceId: string, day: number): CalendarEvent => ({
  id,
  deliverableId: id,
  kind: 'window',
  title: id,
  start: at(day, 10),
  end: at(day, 12),
  serviceId,
});
const freeze = (title: string, from: number, to: number, scope?: CalendarEvent['scope']): CalendarEvent => ({
  id: `f-${title}`,
  deliverableId: null,
  kind: 'freeze',
  title,
  start: at(from, 0),
  end: at(to, 0),
  scope,
});
const tiers: Record<string, number> = { payments: 1, intranet: 4 };

describe('the conflicts of a go-live window', () => {
  it('meets a freeze that applies to its service and overlaps it, and another window on its service', () => {
    const a = window('a', 'payments', 13);
    const b = window('b', 'payments', 13);
    const all = [
      a,
      b,
      freeze('Year-end', 12, 15),
      freeze('Tier 4 only', 12, 15, { tiers: [4], serviceIds: null }),
    ];
    expect(conflictsOf(a, all, (id) => tiers[id])).toEqual([
      'go-live of “b” on the same service',
      'change freeze “Year-end”',
    ]);
  });

  it('does not meet a freeze of other tiers or times, nor windows of other services', () => {
    const c = window('c', 'intranet', 20);
    const all = [
      c,
      window('d', 'payments', 20),
      freeze('Tier 1', 19, 21, { tiers: [1], serviceIds: null }),
      freeze('Earlier', 1, 3),
    ];
    expect(conflictsOf(c, all, (id) => tiers[id])).toEqual([]);
    expect(conflictsOf(freeze('x', 1, 2), all, (id) => tiers[id])).toEqual([]);
  });
});
