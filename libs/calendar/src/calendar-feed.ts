// The calendar feed (GET /v1/calendar.ics): go-live windows, ELS period ends and change freezes as an
// RFC 5545 VCALENDAR, built with ical.js. Pure: the caller reads the rows and gives the time.
import ICAL from 'ical.js';
import { type FreezeWindowSpec } from './freeze-window.js';
import { floatingTime, timeZoneComponent } from './vtimezone.js';
import { instantOf, wallClockAt } from './wall-clock.js';

/** Where a deliverable belongs, as its events describe it. */
export interface FeedDeliverable {
  deliverableId: string;
  title: string;
  status: string;
  serviceName: string;
  projectKey: string;
  projectName: string;
  /** When the deliverable last changed: the events' DTSTAMP and LAST-MODIFIED. */
  updatedAt: Date;
}

export interface FeedGoLive extends FeedDeliverable {
  start: Date;
  end: Date;
}

export interface FeedElsEnd extends FeedDeliverable {
  at: Date;
}

export interface FeedFreeze extends FreezeWindowSpec {
  id: string;
  name: string;
  reason: string | null;
  /** Which services it applies to, in words ("every service", "tiers 1, 2"). */
  appliesTo: string;
  createdAt: Date;
}

export interface CalendarFeedInput {
  goLives: FeedGoLive[];
  elsEnds: FeedElsEnd[];
  freezes: FeedFreeze[];
  /** The console's address (no trailing slash): events link to `<consoleUrl>/deliverables/<id>`. */
  consoleUrl: string;
  now?: Date;
}

const UTC_NAMES = new Set(['UTC', 'Etc/UTC']);

const utc = (instant: Date | number): ICAL.Time => ICAL.Time.fromJSDate(new Date(instant), true);

function newEvent(uid: string, summary: string, stamp: Date): ICAL.Event {
  const event = new ICAL.Event();
  event.uid = uid;
  event.component.addPropertyWithValue('dtstamp', utc(stamp));
  event.component.addPropertyWithValue('last-modified', utc(stamp));
  event.summary = summary;
  return event;
}

function describeDeliverable(item: FeedDeliverable, event: ICAL.Event, consoleUrl: string): void {
  event.description = `Service: ${item.serviceName}\nProject: ${item.projectKey} · ${item.projectName}`;
  event.component.addPropertyWithValue('url', `${consoleUrl}/deliverables/${item.deliverableId}`);
}

const statusWords = (status: string): string => status.replace(/_/g, ' ');

/**
 * A freeze's RRULE as calendar apps read it. Baton reads the rule on the wall clock of the freeze's zone, an
 * UNTIL too; RFC 5545 wants UNTIL in UTC when DTSTART has a TZID: the same moment, written so.
 */
function freezeRule(freeze: FeedFreeze): ICAL.Recur {
  // RRULE names and values are case-insensitive (as rrule reads them); ical.js wants them in capitals.
  const rule = ICAL.Recur.fromString(freeze.rrule!.replace(/^RRULE:/i, '').toUpperCase());
  if (rule.until) {
    const until = rule.until;
    const floating = Date.UTC(until.year, until.month - 1, until.day, until.hour, until.minute, until.second);
    rule.until = utc(instantOf(floating, freeze.timeZone));
  }
  return rule;
}

/** The feed as text/calendar (CRLF line ends, folded at 75 octets by ical.js). */
export function calendarFeed(input: CalendarFeedInput): string {
  const calendar = new ICAL.Component(['vcalendar', [], []]);
  calendar.addPropertyWithValue('version', '2.0');
  calendar.addPropertyWithValue('prodid', '-//Baton//Calendar feed//EN');
  calendar.addPropertyWithValue('calscale', 'GREGORIAN');
  calendar.addPropertyWithValue('x-wr-calname', 'Baton');
  calendar.addPropertyWithValue('x-wr-caldesc', 'Go-live windows, ELS period ends and change freezes');
  // Hints for subscribing apps: look again every hour.
  const refresh = calendar.addPropertyWithValue('refresh-interval', ICAL.Duration.fromString('PT1H'));
  refresh.setParameter('value', 'DURATION');
  calendar.addPropertyWithValue('x-published-ttl', 'PT1H');

  // One VTIMEZONE per zone the freezes use (UTC is written as UTC), from the earliest year one starts in.
  const zones = new Map<string, ICAL.Timezone>();
  const firstYears = new Map<string, number>();
  for (const freeze of input.freezes) {
    if (UTC_NAMES.has(freeze.timeZone)) continue;
    const year = new Date(wallClockAt(Date.parse(freeze.start), freeze.timeZone)).getUTCFullYear();
    firstYears.set(freeze.timeZone, Math.min(year, firstYears.get(freeze.timeZone) ?? year));
  }
  for (const [zone, year] of [...firstYears].sort(([a], [b]) => a.localeCompare(b))) {
    const component = timeZoneComponent(zone, year, input.now);
    calendar.addSubcomponent(component);
    zones.set(zone, new ICAL.Timezone({ component, tzid: zone }));
  }

  for (const goLive of input.goLives) {
    const event = newEvent(
      `golive-${goLive.deliverableId}@baton`,
      `Go-live: ${goLive.title} (${statusWords(goLive.status)})`,
      goLive.updatedAt,
    );
    event.startDate = utc(goLive.start);
    event.endDate = utc(goLive.end);
    describeDeliverable(goLive, event, input.consoleUrl);
    calendar.addSubcomponent(event.component);
  }

  for (const end of input.elsEnds) {
    // A moment, not a span: a VEVENT with DTSTART and no DTEND ends when it starts (RFC 5545, 3.6.1).
    const event = newEvent(
      `els-${end.deliverableId}@baton`,
      `ELS period ends: ${end.title} (${statusWords(end.status)})`,
      end.updatedAt,
    );
    event.startDate = utc(end.at);
    describeDeliverable(end, event, input.consoleUrl);
    calendar.addSubcomponent(event.component);
  }

  for (const freeze of input.freezes) {
    const event = newEvent(`freeze-${freeze.id}@baton`, `Change freeze: ${freeze.name}`, freeze.createdAt);
    const zone = zones.get(freeze.timeZone);
    const start = Date.parse(freeze.start);
    const end = Date.parse(freeze.end);
    event.startDate = zone ? floatingTime(wallClockAt(start, freeze.timeZone), zone) : utc(start);
    if (freeze.rrule === null) {
      event.endDate = zone ? floatingTime(wallClockAt(end, freeze.timeZone), zone) : utc(end);
    } else {
      // Every occurrence lasts what the first lasts on the wall clock. A DURATION's days are nominal
      // (RFC 5545, 3.3.6): "P2DT12H" from Friday 18:00 ends Monday 06:00 on either side of a clock change.
      const length = zone
        ? wallClockAt(end, freeze.timeZone) - wallClockAt(start, freeze.timeZone)
        : end - start;
      event.duration = ICAL.Duration.fromSeconds(Math.round(length / 1000));
      event.component.addPropertyWithValue('rrule', freezeRule(freeze));
    }
    event.description = [`Applies to ${freeze.appliesTo}.`, freeze.reason].filter(Boolean).join('\n');
    event.component.addPropertyWithValue('categories', 'Change freeze');
    calendar.addSubcomponent(event.component);
  }
  return calendar.toString() + '\r\n';
}
