import { describe, expect, it } from '@jest/globals';
import ICAL from 'ical.js';
import { calendarFeed, type FeedFreeze } from './calendar-feed.js';
import { occurrencesOf } from './freeze-window.js';
import { timeZoneComponent } from './vtimezone.js';

const NOW = new Date('2026-12-02T12:00:00Z');

/** The days (at noon UTC) on which a zone's VTIMEZONE, as ical.js reads it, has a new offset: `day offset`. */
function changesOf(vtimezone: ICAL.Component, from: string, to: string): string[] {
  const zone = new ICAL.Timezone({ component: vtimezone, tzid: 'Test/Zone' });
  const found: string[] = [];
  let before: number | null = null;
  for (let t = Date.parse(`${from}T12:00:00Z`); t < Date.parse(`${to}T12:00:00Z`); t += 86_400_000) {
    const offset = ICAL.Time.fromJSDate(new Date(t), true).convertToZone(zone).utcOffset() / 3600;
    if (before !== null && offset !== before)
      found.push(`${new Date(t).toISOString().slice(0, 10)} ${offset}`);
    before = offset;
  }
  return found;
}

describe('VTIMEZONE from an IANA zone', () => {
  it('writes Europe/London as two yearly rules, last Sunday of March and of October', () => {
    const vtimezone = timeZoneComponent('Europe/London', 2026, NOW);
    const rules = vtimezone
      .getAllSubcomponents()
      .filter((part) => part.hasProperty('rrule'))
      .map((part) => `${part.name} ${part.getFirstPropertyValue('rrule')!.toString()}`);
    expect(rules.sort()).toEqual([
      'daylight FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
      'standard FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
    ]);
    // Read back by ical.js, it changes the clocks on the right Sundays, and years on.
    expect(changesOf(vtimezone, '2026-01-01', '2027-01-01')).toEqual(['2026-03-29 1', '2026-10-25 0']);
    expect(changesOf(vtimezone, '2060-01-01', '2061-01-01')).toEqual(['2060-03-28 1', '2060-10-31 0']);
  });

  it('lists the changes of a zone that keeps no yearly rule, and none for a zone without changes', () => {
    // Brazil stopped daylight saving in 2019.
    const saoPaulo = timeZoneComponent('America/Sao_Paulo', 2017, NOW);
    expect(changesOf(saoPaulo, '2017-01-01', '2030-01-01')).toEqual([
      '2017-02-19 -3',
      '2017-10-15 -2',
      '2018-02-18 -3',
      '2018-11-04 -2',
      '2019-02-17 -3',
    ]);
    const tokyo = timeZoneComponent('Asia/Tokyo', 2026, NOW);
    expect(tokyo.getAllSubcomponents()).toHaveLength(1);
    expect(changesOf(tokyo, '2026-01-01', '2028-01-01')).toEqual([]);
  });
});

describe('calendar feed', () => {
  const freeze: FeedFreeze = {
    id: 'f1',
    name: 'Weekend freeze',
    reason: 'Trading weekend',
    start: '2026-10-16T17:00:00Z',
    end: '2026-10-19T05:00:00Z',
    rrule: 'FREQ=WEEKLY;BYDAY=FR;UNTIL=20261106T180000',
    timeZone: 'Europe/London',
    appliesTo: 'every service',
    createdAt: new Date('2026-10-01T00:00:00Z'),
  };

  it('expands a weekly freeze as Baton does, across the clock change, with UNTIL as an instant', () => {
    const parse = (one: FeedFreeze) =>
      new ICAL.Component(
        ICAL.parse(
          calendarFeed({ goLives: [], elsEnds: [], freezes: [one], consoleUrl: 'https://b', now: NOW }),
        ),
      );
    const calendar = parse(freeze);
    const vtimezone = calendar.getFirstSubcomponent('vtimezone')!;
    ICAL.TimezoneService.register(new ICAL.Timezone({ component: vtimezone, tzid: 'Europe/London' }));
    try {
      const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
      expect(event.component.getFirstPropertyValue('rrule')!.toString()).toBe(
        'FREQ=WEEKLY;BYDAY=FR;UNTIL=20261106T180000Z',
      );
      const iterator = event.iterator();
      const seen: { start: string; end: string }[] = [];
      for (let next = iterator.next(); next; next = iterator.next()) {
        const details = event.getOccurrenceDetails(next);
        seen.push({
          start: details.startDate.toJSDate().toISOString(),
          end: details.endDate.toJSDate().toISOString(),
        });
      }
      const baton = occurrencesOf(freeze, new Date('2026-01-01'), new Date('2027-01-01')).map((o) => ({
        start: new Date(o.start).toISOString(),
        end: new Date(o.end).toISOString(),
      }));
      expect(seen).toEqual(baton);
      expect(seen).toHaveLength(4);
      // A rule stored in small letters reads the same.
      const small = parse({ ...freeze, rrule: freeze.rrule!.toLowerCase() });
      expect(small.getFirstSubcomponent('vevent')!.getFirstPropertyValue('rrule')!.toString()).toBe(
        'FREQ=WEEKLY;BYDAY=FR;UNTIL=20261106T180000Z',
      );
    } finally {
      ICAL.TimezoneService.remove('Europe/London');
    }
  });
});
