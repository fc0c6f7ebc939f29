import { describe, expect, it } from '@jest/globals';
import { appliesTo, freezeWindowProblems, occurrencesOf, type FreezeWindowSpec } from './freeze-window.js';
import { instantOf, isTimeZone, wallClockAt } from './wall-clock.js';

const at = (iso: string): number => Date.parse(iso);

describe('wall clock', () => {
  it('reads the local time of an instant, summer and winter', () => {
    expect(new Date(wallClockAt(at('2026-07-03T17:00:00Z'), 'Europe/London')).toISOString()).toBe(
      '2026-07-03T18:00:00.000Z',
    );
    expect(new Date(wallClockAt(at('2026-12-04T18:00:00Z'), 'Europe/London')).toISOString()).toBe(
      '2026-12-04T18:00:00.000Z',
    );
    expect(new Date(wallClockAt(at('2026-03-08T12:00:00.250Z'), 'America/New_York')).toISOString()).toBe(
      '2026-03-08T08:00:00.250Z',
    );
  });

  it('finds the instant a local time is shown, across both changes of the clocks', () => {
    expect(new Date(instantOf(at('2026-07-03T18:00:00Z'), 'Europe/London')).toISOString()).toBe(
      '2026-07-03T17:00:00.000Z',
    );
    // Europe/Paris skips 02:00 to 03:00 on 29 March 2026: 02:30 is read as 03:30 CEST.
    expect(new Date(instantOf(at('2026-03-29T02:30:00Z'), 'Europe/Paris')).toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    // It shows 02:30 twice on 25 October 2026: the first showing, still CEST.
    expect(new Date(instantOf(at('2026-10-25T02:30:00Z'), 'Europe/Paris')).toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
  });

  it('knows IANA names and nothing else', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});

describe('freeze window occurrences', () => {
  // Fridays 18:00 to Mondays 06:00, London time, from 23 October 2026: the clocks go back on 25 October.
  const weekend: FreezeWindowSpec = {
    start: '2026-10-23T17:00:00Z', // 18:00 BST
    end: '2026-10-26T06:00:00Z', // 06:00 GMT: 60 hours of wall clock, 61 real hours this first time
    rrule: 'FREQ=WEEKLY;BYDAY=FR;COUNT=3',
    timeZone: 'Europe/London',
  };

  it('keeps the local hours of a weekly freeze across a daylight-saving change', () => {
    const found = occurrencesOf(weekend, new Date('2026-10-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z'));
    expect(found).toEqual([
      { start: '2026-10-23T17:00:00.000Z', end: '2026-10-26T06:00:00.000Z' },
      { start: '2026-10-30T18:00:00.000Z', end: '2026-11-02T06:00:00.000Z' },
      { start: '2026-11-06T18:00:00.000Z', end: '2026-11-09T06:00:00.000Z' },
    ]);
    for (const occurrence of found) {
      const localStart = new Date(wallClockAt(at(occurrence.start), 'Europe/London'));
      const localEnd = new Date(wallClockAt(at(occurrence.end), 'Europe/London'));
      expect([localStart.getUTCDay(), localStart.getUTCHours()]).toEqual([5, 18]);
      expect([localEnd.getUTCDay(), localEnd.getUTCHours()]).toEqual([1, 6]);
    }
  });

  it('keeps them in spring too, in a zone west of UTC', () => {
    const spec: FreezeWindowSpec = {
      start: '2027-03-05T23:00:00Z', // Friday 18:00 EST
      end: '2027-03-08T11:00:00Z', // Monday 06:00 EST
      rrule: 'FREQ=WEEKLY;BYDAY=FR',
      timeZone: 'America/New_York',
    };
    const found = occurrencesOf(spec, new Date('2027-03-10T00:00:00Z'), new Date('2027-03-20T00:00:00Z'));
    // The clocks go forward on 14 March, in the first occurrence: it ends at 06:00 EDT, 10:00 UTC; the next
    // starts at 18:00 EDT, 22:00 UTC.
    expect(found).toEqual([
      { start: '2027-03-12T23:00:00.000Z', end: '2027-03-15T10:00:00.000Z' },
      { start: '2027-03-19T22:00:00.000Z', end: '2027-03-22T10:00:00.000Z' },
    ]);
  });

  it('lists only the occurrences that overlap the range, an occurrence already under way included', () => {
    const found = occurrencesOf(weekend, new Date('2026-11-01T12:00:00Z'), new Date('2026-11-07T00:00:00Z'));
    expect(found.map((o) => o.start)).toEqual(['2026-10-30T18:00:00.000Z', '2026-11-06T18:00:00.000Z']);
    expect(
      occurrencesOf(weekend, new Date('2027-01-01T00:00:00Z'), new Date('2027-02-01T00:00:00Z')),
    ).toEqual([]);
  });

  it('has one occurrence without a rule', () => {
    const once: FreezeWindowSpec = {
      start: '2026-12-24T00:00:00Z',
      end: '2026-12-27T00:00:00Z',
      rrule: null,
      timeZone: 'UTC',
    };
    expect(occurrencesOf(once, new Date('2026-12-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z'))).toEqual([
      { start: '2026-12-24T00:00:00.000Z', end: '2026-12-27T00:00:00.000Z' },
    ]);
    expect(occurrencesOf(once, new Date('2026-12-27T00:00:00Z'), new Date('2027-01-01T00:00:00Z'))).toEqual(
      [],
    );
  });

  it('stops at the limit asked for', () => {
    const daily = { ...weekend, rrule: 'FREQ=DAILY', end: '2026-10-23T18:00:00Z' };
    expect(
      occurrencesOf(daily, new Date('2026-10-23T00:00:00Z'), new Date('2030-01-01T00:00:00Z'), 5),
    ).toHaveLength(5);
  });
});

describe('freeze window problems', () => {
  const sound: FreezeWindowSpec = {
    start: '2026-12-04T18:00:00Z',
    end: '2026-12-07T06:00:00Z',
    rrule: 'FREQ=WEEKLY;BYDAY=FR',
    timeZone: 'Europe/Paris',
  };

  it('finds none in a sound window', () => {
    expect(freezeWindowProblems(sound)).toEqual([]);
    expect(
      freezeWindowProblems({ ...sound, rrule: 'RRULE:FREQ=WEEKLY;BYDAY=FR;UNTIL=20271231T000000Z' }),
    ).toEqual([]);
  });

  it('names each field at fault', () => {
    expect(freezeWindowProblems({ ...sound, end: sound.start })).toEqual([
      { path: 'end', message: 'end must be after start' },
    ]);
    expect(freezeWindowProblems({ ...sound, timeZone: 'Europe/Atlantis' })[0].path).toBe('timeZone');
    for (const rrule of [
      'FREQ=FORTNIGHTLY',
      'BYDAY=FR',
      'hello world',
      'DTSTART=20260101;FREQ=DAILY',
      ';;;',
    ]) {
      const problems = freezeWindowProblems({ ...sound, rrule });
      expect(problems).toHaveLength(1);
      expect(problems[0].path).toBe('rrule');
    }
  });

  it('refuses a rule with more than 1,000 occurrences in a year, and takes one with 1,000 or fewer', () => {
    const hourly = { ...sound, end: '2026-12-04T18:30:00Z', rrule: 'FREQ=HOURLY' };
    expect(freezeWindowProblems(hourly)).toEqual([
      { path: 'rrule', message: 'the rule yields more than 1000 occurrences in a year' },
    ]);
    expect(freezeWindowProblems({ ...hourly, rrule: 'FREQ=HOURLY;COUNT=1000' })).toEqual([]);
    expect(freezeWindowProblems({ ...hourly, rrule: 'FREQ=DAILY' })).toEqual([]);
  });
});

describe('scope', () => {
  const service = { id: 's-1', tier: 2 };
  it('applies everywhere without a scope, else by tier or by service', () => {
    expect(appliesTo({ tiers: null, serviceIds: null }, service)).toBe(true);
    expect(appliesTo({ tiers: [1, 2], serviceIds: null }, service)).toBe(true);
    expect(appliesTo({ tiers: [1], serviceIds: null }, service)).toBe(false);
    expect(appliesTo({ tiers: [1], serviceIds: ['s-1'] }, service)).toBe(true);
    expect(appliesTo({ tiers: null, serviceIds: ['s-2'] }, service)).toBe(false);
  });
});
