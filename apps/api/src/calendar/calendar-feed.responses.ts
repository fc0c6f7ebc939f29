import { z } from 'zod';

export const feedTokenResponse = z
  .object({
    url: z
      .string()
      .nullable()
      .describe(
        'the calendar feed URL with its read-only token, `<public base>/v1/calendar.ics?token=...`, shown in ' +
          'this answer only; null when the answer is replayed (Idempotency-Key)',
      ),
  })
  .meta({ id: 'FeedToken' });

export const calendarResponse = z
  .string()
  .describe(
    'An RFC 5545 VCALENDAR: a VEVENT per go-live window (UID golive-<deliverableId>@baton), per ELS period ' +
      'end (els-<deliverableId>@baton) and per change freeze (freeze-<id>@baton, with its RRULE and TZID), ' +
      'and a VTIMEZONE per time zone the freezes use',
  );
