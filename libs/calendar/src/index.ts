// @baton/calendar: wall-clock time in named time zones and the occurrences of recurring freeze windows.
// Pure (Intl and rrule only): the domain's rules take the occurrences it computes.
export {
  appliesTo,
  freezeWindowProblems,
  MAX_OCCURRENCES_PER_YEAR,
  occurrencesOf,
  type FreezeScope,
  type FreezeWindowSpec,
  type Occurrence,
} from './freeze-window.js';
export { instantOf, isTimeZone, wallClockAt } from './wall-clock.js';
export {
  calendarFeed,
  type CalendarFeedInput,
  type FeedDeliverable,
  type FeedElsEnd,
  type FeedFreeze,
  type FeedGoLive,
} from './calendar-feed.js';
export { timeZoneComponent } from './vtimezone.js';
