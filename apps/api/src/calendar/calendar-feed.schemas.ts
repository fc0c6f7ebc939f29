import { z } from 'zod';
import { uuid } from '../http/validation/schemas.js';

/** A new feed token needs nothing in the body; anything sent is refused like any unknown field. */
export const feedTokenSchema = z.strictObject({}).meta({ id: 'FeedTokenRequest' });
export type FeedTokenBody = z.output<typeof feedTokenSchema>;

export const calendarQuerySchema = z.strictObject({
  serviceId: uuid
    .optional()
    .describe("only this service's go-lives and ELS ends, and the freezes that apply to it"),
  projectId: uuid.optional().describe("only this project's go-lives and ELS ends"),
  token: z
    .string()
    .max(200)
    .optional()
    .describe('a calendar feed token (POST /v1/principals/{id}/feed-token), for apps that send no header'),
});
export type CalendarQuery = z.output<typeof calendarQuerySchema>;
