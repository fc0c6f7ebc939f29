import { HandoverError, HandoverErrorCode } from './handover.errors.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
// Calendar units have no fixed length; timers need one, so a month counts 30 days and a year 365 days.
const MONTH = 30 * DAY;
const YEAR = 365 * DAY;

// PnYnMnWnDTnHnMnS; every part optional but at least one present, a T only when a time part follows,
// a fraction only on seconds (the smallest unit, where tests use it: PT0.5S).
const PATTERN =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds in an ISO 8601 duration such as `P7D`, `PT30S` or `P1DT2H30M`. */
export function parseIsoDuration(text: string): number {
  const match = typeof text === 'string' ? PATTERN.exec(text) : null;
  const parts = match?.slice(1) ?? [];
  const hasTime = typeof text === 'string' && text.includes('T');
  const timeParts = parts.slice(4);
  if (
    !match ||
    parts.every((part) => part === undefined) ||
    (hasTime && timeParts.every((p) => p === undefined))
  ) {
    throw new HandoverError(
      HandoverErrorCode.InvalidDuration,
      `"${String(text)}" is not an ISO 8601 duration`,
      {
        value: String(text),
      },
    );
  }
  const [years, months, weeks, days, hours, minutes, seconds] = parts.map((part) => Number(part ?? 0));
  const ms = Math.round(
    years * YEAR +
      months * MONTH +
      weeks * WEEK +
      days * DAY +
      hours * HOUR +
      minutes * MINUTE +
      seconds * SECOND,
  );
  if (!Number.isSafeInteger(ms)) {
    throw new HandoverError(HandoverErrorCode.InvalidDuration, `"${text}" is too long a duration`, {
      value: text,
    });
  }
  return ms;
}

export function isIsoDuration(text: string): boolean {
  try {
    parseIsoDuration(text);
    return true;
  } catch {
    return false;
  }
}

/** The ISO 8601 duration of a number of milliseconds, in days and time parts (`P2DT3H`, `PT0.5S`, `PT0S`). */
export function formatIsoDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new HandoverError(HandoverErrorCode.InvalidDuration, `${ms} ms is not a duration`, { value: ms });
  }
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  const seconds = (ms % MINUTE) / SECOND;
  const date = days > 0 ? `${days}D` : '';
  const time = `${hours > 0 ? `${hours}H` : ''}${minutes > 0 ? `${minutes}M` : ''}${seconds > 0 ? `${seconds}S` : ''}`;
  if (date === '' && time === '') {
    return 'PT0S';
  }
  return `P${date}${time === '' ? '' : `T${time}`}`;
}
