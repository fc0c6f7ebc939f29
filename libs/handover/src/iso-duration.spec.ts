import { describe, expect, it } from '@jest/globals';
import { HandoverError, HandoverErrorCode } from './handover.errors.js';
import { formatIsoDuration, isIsoDuration, parseIsoDuration } from './iso-duration.js';

describe('parseIsoDuration', () => {
  it.each([
    ['PT30S', 30_000],
    ['PT0.5S', 500],
    ['PT1.25S', 1_250],
    ['PT0S', 0],
    ['PT1M', 60_000],
    ['PT2H', 7_200_000],
    ['P1D', 86_400_000],
    ['P7D', 7 * 86_400_000],
    ['P2W', 14 * 86_400_000],
    ['P1M', 30 * 86_400_000],
    ['P1Y', 365 * 86_400_000],
    ['P1DT2H30M', 86_400_000 + 2 * 3_600_000 + 30 * 60_000],
    [
      'P1Y2M3W4DT5H6M7.5S',
      365 * 86_400_000 + 60 * 86_400_000 + 25 * 86_400_000 + 5 * 3_600_000 + 6 * 60_000 + 7_500,
    ],
  ])('reads %s', (text, ms) => {
    expect(parseIsoDuration(text)).toBe(ms);
    expect(isIsoDuration(text)).toBe(true);
  });

  it.each([
    '',
    'P',
    'PT',
    'P1DT',
    '7D',
    'P-1D',
    'P1.5D',
    'PT1.5M',
    'P1S',
    'pt1s',
    'P1D ',
    'PT1H1H',
    'P99999999999999Y',
  ])('refuses %j with INVALID_DURATION', (text) => {
    expect(isIsoDuration(text)).toBe(false);
    expect(() => parseIsoDuration(text)).toThrow(HandoverError);
    try {
      parseIsoDuration(text);
    } catch (error) {
      expect((error as HandoverError).code).toBe(HandoverErrorCode.InvalidDuration);
    }
  });
});

describe('formatIsoDuration', () => {
  it.each([
    [0, 'PT0S'],
    [500, 'PT0.5S'],
    [30_000, 'PT30S'],
    [86_400_000, 'P1D'],
    [86_400_000 + 3_600_000 + 1_500, 'P1DT1H1.5S'],
  ])('writes %d ms as %s and reads it back', (ms, text) => {
    expect(formatIsoDuration(ms)).toBe(text);
    expect(parseIsoDuration(text)).toBe(ms);
  });

  it('refuses negative durations', () => {
    expect(() => formatIsoDuration(-1)).toThrow(HandoverError);
  });
});
