import { describe, expect, it } from '@jest/globals';
import { countdown, durationWords, formatSpan, fromLocalInput, relative, toLocalInput } from './time';

const now = Date.parse('2026-12-02T12:00:00Z');

describe('countdowns', () => {
  it('says how long is left, in its two largest units', () => {
    expect(countdown('2026-12-02T15:20:00Z', now)).toEqual({
      text: 'due in 3 h 20 min',
      overdue: false,
      soon: true,
    });
    expect(countdown('2026-12-04T15:00:00Z', now)).toEqual({
      text: 'due in 2 days 3 h',
      overdue: false,
      soon: false,
    });
    expect(countdown('2026-12-03T12:00:00Z', now).text).toBe('due in 1 day');
  });

  it('marks under six hours as soon', () => {
    expect(countdown('2026-12-02T12:45:00Z', now)).toEqual({
      text: 'due in 45 min',
      overdue: false,
      soon: true,
    });
  });

  it('says overdue in words, not only by colour', () => {
    expect(countdown('2026-12-02T10:00:00Z', now)).toEqual({
      text: 'overdue by 2 h',
      overdue: true,
      soon: false,
    });
    expect(countdown('2026-12-02T11:59:30Z', now).text).toBe('overdue by less than a minute');
  });

  it('copes with a missing date', () => {
    expect(countdown('not a date', now)).toEqual({ text: 'no due date', overdue: false, soon: false });
  });

  it('formats spans and relative times', () => {
    expect(formatSpan(59_000)).toBe('less than a minute');
    expect(formatSpan(-3 * 60_000)).toBe('3 min');
    expect(relative('2026-12-02T11:57:00Z', now)).toBe('3 min ago');
    expect(relative('2026-12-04T12:00:00Z', now)).toBe('in 2 days');
    expect(relative('2026-12-02T12:00:10Z', now)).toBe('just now');
  });
});

describe('ISO 8601 durations in words', () => {
  it('reads days, times and combinations', () => {
    expect(durationWords('P7D')).toBe('7 days');
    expect(durationWords('PT30S')).toBe('30 seconds');
    expect(durationWords('P1DT2H')).toBe('1 day 2 hours');
    expect(durationWords('PT1M')).toBe('1 minute');
    expect(durationWords('P2W')).toBe('2 weeks');
    expect(durationWords('nonsense')).toBe('nonsense');
  });
});

describe('datetime-local inputs', () => {
  it('round-trips an ISO time through the local form', () => {
    const iso = '2026-12-24T09:30:00.000Z';
    expect(fromLocalInput(toLocalInput(iso))).toBe(iso);
    expect(fromLocalInput('')).toBeNull();
    expect(toLocalInput(null)).toBe('');
  });
});
