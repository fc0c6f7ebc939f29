// Times as people read them: countdowns ("due in 3 h 20 min", "overdue by 2 days"), ISO 8601 durations
// in words, and dates in the reader's time zone.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A span in its two largest units: "2 days 3 h", "3 h 20 min", "45 min", "less than a minute". */
export function formatSpan(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE) return 'less than a minute';
  const days = Math.floor(abs / DAY);
  const hours = Math.floor((abs % DAY) / HOUR);
  const minutes = Math.floor((abs % HOUR) / MINUTE);
  const day = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
  if (days > 0) return hours > 0 ? `${day(days)} ${hours} h` : day(days);
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  return `${minutes} min`;
}

export interface Countdown {
  text: string;
  overdue: boolean;
  /** Under a quarter of a day left. */
  soon: boolean;
}

/** How long until `due` from `now`, said so that overdue never depends on colour alone. */
export function countdown(due: string | Date, now: number = Date.now()): Countdown {
  const ms = new Date(due).getTime() - now;
  if (Number.isNaN(ms)) return { text: 'no due date', overdue: false, soon: false };
  if (ms < 0) return { text: `overdue by ${formatSpan(ms)}`, overdue: true, soon: false };
  return { text: `due in ${formatSpan(ms)}`, overdue: false, soon: ms < DAY / 4 };
}

/** An ISO 8601 duration in words: "P7D" -> "7 days", "PT30S" -> "30 seconds", "P1DT2H" -> "1 day 2 hours". */
export function durationWords(iso: string): string {
  const match =
    /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
      iso,
    );
  if (!match) return iso;
  const names = ['year', 'month', 'week', 'day', 'hour', 'minute', 'second'];
  const parts = match
    .slice(1)
    .map((value, index) =>
      value === undefined || Number(value) === 0
        ? null
        : `${value} ${names[index]}${Number(value) === 1 ? '' : 's'}`,
    )
    .filter((part): part is string => part !== null);
  return parts.length > 0 ? parts.join(' ') : '0 seconds';
}

/** A date-time in the reader's locale and zone, e.g. "3 Dec 2026, 14:05". */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

/** "3 min ago", "in 2 days": relative to now. */
export function relative(iso: string, now: number = Date.now()): string {
  const ms = new Date(iso).getTime() - now;
  if (Number.isNaN(ms)) return iso;
  if (Math.abs(ms) < MINUTE) return 'just now';
  return ms < 0 ? `${formatSpan(ms)} ago` : `in ${formatSpan(ms)}`;
}

/** The value of an <input type="datetime-local"> for an ISO time, in the reader's zone. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** An <input type="datetime-local"> value (the reader's zone) as ISO 8601 UTC; null when empty or invalid. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
