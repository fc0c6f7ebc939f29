import { z } from 'zod';
import { pageOf, timeOut, uuidOut } from '../http/openapi/response-schemas.js';

export const occurrenceResponse = z
  .object({ start: timeOut, end: timeOut })
  .meta({ id: 'FreezeOccurrence', description: 'One occurrence of a freeze window, in UTC' });

export const freezeWindowResponse = z
  .object({
    id: uuidOut,
    name: z.string(),
    reason: z.string().nullable(),
    start: timeOut.describe('the first occurrence starts here'),
    end: timeOut.describe('the first occurrence ends here'),
    rrule: z
      .string()
      .nullable()
      .describe('RFC 5545 RRULE repeating the first occurrence; null: it happens once'),
    timeZone: z.string().describe('IANA time zone whose wall clock every occurrence keeps'),
    scope: z
      .object({
        tiers: z.array(z.number().int()).nullable(),
        serviceIds: z.array(uuidOut).nullable(),
      })
      .describe('the services it applies to, by tier or by id; both null: every service'),
    occurrences: z
      .array(occurrenceResponse)
      .describe('its occurrences inside the range asked for (on create: the next 90 days), earliest first'),
    createdBy: uuidOut.nullable(),
    createdAt: timeOut,
  })
  .meta({ id: 'FreezeWindow' });

export const freezeWindowPageResponse = pageOf(freezeWindowResponse, 'FreezeWindowPage', {
  from: timeOut.describe('the range the occurrences are listed in'),
  to: timeOut,
});
