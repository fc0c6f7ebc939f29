// An RFC 5545 VTIMEZONE for an IANA zone, worked out from Intl's own rules (no time zone database of our
// own): calendar apps that read a TZID from it keep an event's wall-clock hours across daylight saving.
import ICAL from 'ical.js';
import { wallClockAt } from './wall-clock.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** How many years past this one the rules are spelt out when they cannot be written as a yearly RRULE. */
const YEARS_AHEAD = 20;

interface Transition {
  /** The instant the offset changes. */
  at: number;
  /** The offsets before and after, in milliseconds ahead of UTC. */
  from: number;
  to: number;
}

const offsetAt = (instant: number, timeZone: string): number => wallClockAt(instant, timeZone) - instant;

/** Every change of the zone's UTC offset in [from, to), to the minute. */
function transitions(timeZone: string, from: number, to: number): Transition[] {
  const found: Transition[] = [];
  let before = offsetAt(from, timeZone);
  for (let day = from; day < to; day += DAY_MS) {
    const next = Math.min(day + DAY_MS, to);
    const after = offsetAt(next, timeZone);
    if (after === before) continue;
    let low = day;
    let high = next;
    while (high - low > MINUTE_MS) {
      const middle = low + Math.floor((high - low) / 2 / MINUTE_MS) * MINUTE_MS;
      if (offsetAt(middle, timeZone) === before) low = middle;
      else high = middle;
    }
    found.push({ at: high, from: before, to: after });
    before = after;
  }
  return found;
}

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** How a transition's local start reads as a yearly rule ("last Sunday of October at 02:00"). */
function yearlyRule(transition: Transition): { key: string; month: number; byDay: string } {
  const local = new Date(transition.at + transition.from);
  const month = local.getUTCMonth() + 1;
  const day = local.getUTCDate();
  const daysInMonth = new Date(Date.UTC(local.getUTCFullYear(), month, 0)).getUTCDate();
  const weekday = WEEKDAYS[local.getUTCDay()];
  const byDay = day + 7 > daysInMonth ? `-1${weekday}` : `${Math.ceil(day / 7)}${weekday}`;
  const time = transition.at + transition.from - Date.UTC(local.getUTCFullYear(), month - 1, day);
  return { key: `${month}|${byDay}|${time}`, month, byDay };
}

/** Floating milliseconds (wall-clock fields as UTC) as an ical.js time: floating, or in `zone`. */
export function floatingTime(floating: number, zone?: ICAL.Timezone): ICAL.Time {
  const date = new Date(floating);
  return ICAL.Time.fromData(
    {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: date.getUTCHours(),
      minute: date.getUTCMinutes(),
      second: date.getUTCSeconds(),
      isDate: false,
    },
    zone,
  );
}

function observance(
  kind: 'standard' | 'daylight',
  first: number,
  from: number,
  to: number,
  rule: { month: number; byDay: string } | null,
): ICAL.Component {
  const component = new ICAL.Component(kind);
  component.addPropertyWithValue('dtstart', floatingTime(first));
  component.addPropertyWithValue('tzoffsetfrom', ICAL.UtcOffset.fromSeconds(from / 1000));
  component.addPropertyWithValue('tzoffsetto', ICAL.UtcOffset.fromSeconds(to / 1000));
  if (rule) {
    component.addPropertyWithValue(
      'rrule',
      ICAL.Recur.fromData({ freq: 'YEARLY', bymonth: [rule.month], byday: [rule.byDay] }),
    );
  }
  return component;
}

/**
 * The VTIMEZONE of `timeZone` for times from the start of `fromYear` on: the offset then, and each change
 * after it. A change that recurs every year the same way to the end of what was looked at ("last Sunday of
 * March, 01:00") is one observance with a yearly RRULE, so it holds for ever after; changes that do not are
 * listed one by one up to twenty years from now, as far as Intl knows them.
 */
export function timeZoneComponent(timeZone: string, fromYear: number, now = new Date()): ICAL.Component {
  // Worked out once per zone, first year and year now (a few thousand Intl calls), then copied.
  const key = `${timeZone}|${fromYear}|${now.getUTCFullYear()}`;
  let known = worked.get(key);
  if (!known) {
    known = workOut(timeZone, fromYear, now).toJSON() as unknown[];
    worked.set(key, known);
    if (worked.size > 200) worked.delete(worked.keys().next().value!);
  }
  return new ICAL.Component(structuredClone(known));
}

const worked = new Map<string, unknown[]>();

function workOut(timeZone: string, fromYear: number, now: Date): ICAL.Component {
  const start = Date.UTC(fromYear, 0, 1);
  const lastYear = Math.max(now.getUTCFullYear(), fromYear) + YEARS_AHEAD;
  const changes = transitions(timeZone, start, Date.UTC(lastYear + 1, 0, 1));
  const vtimezone = new ICAL.Component('vtimezone');
  vtimezone.addPropertyWithValue('tzid', timeZone);
  const initial = offsetAt(start, timeZone);
  const isDaylight = (change: Transition) => change.to > change.from;
  // The offset in force from the start: daylight when the first change goes back from it.
  const initialKind = changes.length > 0 && !isDaylight(changes[0]) ? 'daylight' : 'standard';
  vtimezone.addSubcomponent(observance(initialKind, start + initial, initial, initial, null));

  const groups = new Map<string, Transition[]>();
  for (const change of changes) {
    const key = `${change.from}|${change.to}`;
    groups.set(key, [...(groups.get(key) ?? []), change]);
  }
  for (const group of groups.values()) {
    const kind = isDaylight(group[0]) ? 'daylight' : 'standard';
    // The longest run at the end that follows one yearly rule, year after year, to the last year looked at.
    const last = group[group.length - 1];
    const rule = yearlyRule(last);
    let runStart = group.length - 1;
    while (
      runStart > 0 &&
      yearlyRule(group[runStart - 1]).key === rule.key &&
      new Date(group[runStart - 1].at).getUTCFullYear() === new Date(group[runStart].at).getUTCFullYear() - 1
    )
      runStart -= 1;
    const ruled = new Date(last.at).getUTCFullYear() === lastYear && group.length - runStart >= 3;
    const listed = ruled ? group.slice(0, runStart) : group;
    const localStart = (change: Transition) => change.at + change.from;
    // One observance each (not RDATE lists, which some readers, ical.js among them, take only in part).
    for (const change of listed)
      vtimezone.addSubcomponent(observance(kind, localStart(change), change.from, change.to, null));
    if (ruled) {
      vtimezone.addSubcomponent(observance(kind, localStart(group[runStart]), last.from, last.to, rule));
    }
  }
  return vtimezone;
}
