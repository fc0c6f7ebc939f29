import { z } from 'zod';
import { STATUSES } from '@baton/handover';
import { pageOf, timeOut, uuidOut } from '../http/openapi/response-schemas.js';
import { pageQuery, uuid } from '../http/validation/schemas.js';

// The continual improvement register (API.md "Practices and the improvement register"): what GET /v1/lessons
// takes and answers.

/** Words to look for: at most 200 characters, with at least one letter or digit to find. */
const searchText = z
  .string()
  .max(200, 'must have at most 200 characters')
  .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters')
  .transform((value) => value.trim())
  .refine((value) => /[\p{L}\p{N}]/u.test(value), 'must contain a letter or a digit to search for');

export const lessonsQuerySchema = z.strictObject({
  ...pageQuery,
  serviceId: uuid.optional(),
  projectId: uuid.optional(),
  q: searchText
    .optional()
    .describe('words in the lesson (English stems: "tests" finds "testing"), or part of a word'),
});
export type LessonsQuery = z.output<typeof lessonsQuerySchema>;

export const registerLessonResponse = z
  .object({
    text: z.string(),
    recordedBy: uuidOut.nullable(),
    at: timeOut,
    deliverable: z.object({ id: uuidOut, title: z.string(), status: z.enum(STATUSES) }),
    service: z.object({ id: uuidOut, name: z.string() }),
    project: z.object({ id: uuidOut, key: z.string(), name: z.string() }),
  })
  .meta({ id: 'RegisterLesson', description: 'A lesson learned, with the deliverable, service and project' });

export const lessonsPageResponse = pageOf(registerLessonResponse, 'LessonsPage');
