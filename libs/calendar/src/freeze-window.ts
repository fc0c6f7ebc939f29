import * as rruleModule from 'rrule';
import { type RRule } from 'rrule';
import { instantOf, isTimeZone, wallClockAt } from './wall-clock.js';

// rrule is CommonJS whose named exports Node's ES module loader cannot see: they are on its default export
// there, and on the namespace where a bundler or Jest loads it.
const { RRule: RRuleClass, rrulestr } =
  (rruleModule as typeof rruleModule & { default?: typeof rruleModule }).default ?? rruleModule;

/**
 * A change freeze: its first occurrence from `start` to `end`, and, with `rrule`, more of them. Every
 * occurrence lasts what the first one lasts on the wall clock of `timeZone`, and starts at the local time
 * the first one starts: "Fridays 18:00 to Monday 06:00" in Europe/London stays 18:00 to 06:00 there when
 * the clocks change, so in UTC it moves by an hour.
 */
export interface FreezeWindowSpec {
  /** ISO 8601 instants bounding the first occurrence. */
  start: string;
  end: string;
  /** An RFC 5545 RRULE (with or without the `RRULE:` prefix), or null for a single occurrence. */
  rrule: string | null;
  /** IANA time zone name; `UTC` when none is given. */
  timeZone: string;
}

/** Which deliverables a freeze applies to: by the service's tier or by its id; both null is every service. */
export interface FreezeScope {
  tiers: number[] | null;
  serviceIds: string[] | null;
}

export interface Occurrence {
  start: string;
  end: string;
}

/** A freeze may not recur more often than this in a year (an RRULE every minute is a mistake, not a freeze). */
export const MAX_OCCURRENCES_PER_YEAR = 1000;

const YEAR_MS = 366 * 86_400_000;
const DAY_MS = 86_400_000;

/** The problems of a freeze window's timing, each with the field it is about; empty when it is sound. */
export function freezeWindowProblems(spec: FreezeWindowSpec): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const start = Date.parse(spec.start);
  const end = Date.parse(spec.end);
  if (!(end > start)) problems.push({ path: 'end', message: 'end must be after start' });
  if (!isTimeZone(spec.timeZone)) {
    problems.push({
      path: 'timeZone',
      message: `unknown time zone "${spec.timeZone}" (an IANA name such as Europe/Paris)`,
    });
    return problems;
  }
  if (spec.rrule === null || problems.length > 0) return problems;
  const parsed = parseRule(spec);
  if (typeof parsed === 'string') {
    problems.push({ path: 'rrule', message: parsed });
    return problems;
  }
  const first = floatingStart(spec);
  let count = 0;
  parsed.between(new Date(first), new Date(first + YEAR_MS), true, () => ++count <= MAX_OCCURRENCES_PER_YEAR);
  if (count > MAX_OCCURRENCES_PER_YEAR) {
    problems.push({
      path: 'rrule',
      message: `the rule yields more than ${MAX_OCCURRENCES_PER_YEAR} occurrences in a year`,
    });
  }
  return problems;
}

/** The occurrences of a freeze window that overlap [from, to), earliest first, at most `limit` of them. */
export function occurrencesOf(spec: FreezeWindowSpec, from: Date, to: Date, limit = 500): Occurrence[] {
  const start = Date.parse(spec.start);
  const length = floatingEnd(spec) - floatingStart(spec);
  const occurrence = (floating: number): Occurrence => ({
    start: new Date(instantOf(floating, spec.timeZone)).toISOString(),
    end: new Date(instantOf(floating + length, spec.timeZone)).toISOString(),
  });
  const overlaps = (o: Occurrence): boolean =>
    Date.parse(o.start) < to.getTime() && Date.parse(o.end) > from.getTime();
  if (spec.rrule === null) {
    const only = { start: new Date(start).toISOString(), end: new Date(Date.parse(spec.end)).toISOString() };
    return overlaps(only) ? [only] : [];
  }
  const rule = parseRule(spec);
  if (typeof rule === 'string') throw new Error(`Stored freeze rule does not parse: ${rule}`);
  // Search the wall-clock range wide enough for any offset (±1 day) and an occurrence that began earlier.
  const after = new Date(from.getTime() - length - DAY_MS);
  const before = new Date(to.getTime() + DAY_MS);
  const found: Occurrence[] = [];
  rule.between(after, before, true, (date) => {
    const candidate = occurrence(date.getTime());
    if (overlaps(candidate)) found.push(candidate);
    return found.length < limit;
  });
  return found;
}

/** Whether a freeze with this scope applies to a service. */
export function appliesTo(scope: FreezeScope, service: { id: string; tier: number }): boolean {
  if (scope.tiers === null && scope.serviceIds === null) return true;
  return (scope.tiers?.includes(service.tier) ?? false) || (scope.serviceIds?.includes(service.id) ?? false);
}

function floatingStart(spec: FreezeWindowSpec): number {
  return wallClockAt(Date.parse(spec.start), spec.timeZone);
}

function floatingEnd(spec: FreezeWindowSpec): number {
  return wallClockAt(Date.parse(spec.end), spec.timeZone);
}

/** The rule over the first occurrence's wall-clock start (floating), or why it does not parse. */
function parseRule(spec: FreezeWindowSpec): RRule | string {
  const text = (spec.rrule ?? '').trim().replace(/^RRULE:/i, '');
  if (!/^[A-Z0-9=;,:+-]+$/i.test(text) || text.length > 500)
    return 'rrule must be an RFC 5545 RRULE such as FREQ=WEEKLY;BYDAY=FR';
  if (!/(^|;)FREQ=/i.test(text)) return 'rrule needs FREQ (SECONDLY to YEARLY)';
  if (/(^|;)DTSTART/i.test(text)) return 'rrule takes no DTSTART: start gives the first occurrence';
  try {
    const rule = rrulestr(`RRULE:${text}`, { dtstart: new Date(floatingStart(spec)) });
    if (!(rule instanceof RRuleClass)) return 'rrule must be one RRULE';
    return rule;
  } catch (error) {
    return `rrule does not parse: ${(error as Error).message}`;
  }
}
