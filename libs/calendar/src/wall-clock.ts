// Wall-clock time in a named time zone, with nothing but Intl: what a clock on the wall there shows at an
// instant, and the instant at which it shows a given time.
//
// A wall-clock time is carried as "floating" milliseconds: the UTC epoch milliseconds of the same calendar
// fields (Date.UTC of the year, month, day, hours...), so that wall-clock arithmetic (plus two hours, the next
// Friday) is plain arithmetic on numbers, as rrule does with its floating dates.

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** True for a time zone this runtime knows by that IANA name (`Europe/Paris`, `UTC`). */
export function isTimeZone(name: string): boolean {
  if (name.length === 0 || name.length > 64) return false;
  try {
    formatIn(name);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time in `timeZone` at `instant`, as floating milliseconds. */
export function wallClockAt(instant: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const part of formatIn(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const whole = Date.UTC(
    fields.year,
    fields.month - 1,
    fields.day,
    fields.hour,
    fields.minute,
    fields.second,
  );
  // Intl has no milliseconds field here; the zone's offset is whole seconds, so they carry over as they are.
  return whole + (((instant % 1000) + 1000) % 1000);
}

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  return wallClockAt(instant, timeZone) - instant;
}

/**
 * The instant at which `timeZone`'s wall clock shows `floating`. A time the clocks skip (spring forward) is
 * read with the offset before the change, so it lands as far past the gap as it was into it (02:30 on a
 * day that jumps from 02:00 to 03:00 is 03:30); a time shown twice (fall back) is its first showing.
 */
export function instantOf(floating: number, timeZone: string): number {
  const before = offsetAt(floating - 86_400_000, timeZone);
  const after = offsetAt(floating + 86_400_000, timeZone);
  // Candidates: the wall time read with either offset around it; keep those that do show that wall time.
  const candidates = [floating - before, floating - after].filter(
    (instant) => wallClockAt(instant, timeZone) === floating,
  );
  if (candidates.length > 0) return Math.min(...candidates);
  return floating - before;
}
