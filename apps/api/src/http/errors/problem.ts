import { ACTIONS, STATUSES } from '@baton/handover';
import { z } from 'zod';

/** RFC 9457 problem details, as every error of the API is served (application/problem+json). */
export const problemSchema = z
  .looseObject({
    type: z.url().describe('names the error: https://baton.dev/problems/ and the code as a slug'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().optional().describe('the stable error code, e.g. HANDOVER.ACTION_NOT_ALLOWED'),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('validation errors, one per bad field'),
    state: z.enum(STATUSES).optional().describe("an illegal transition: the deliverable's status"),
    allowedActions: z
      .array(z.enum(ACTIONS))
      .optional()
      .describe('an illegal transition: what the caller may do instead'),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details: every error of the API' });
export type Problem = z.output<typeof problemSchema>;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** `type` names the error code under a stable base, so clients can switch on it. */
export function problem(
  status: number,
  detail: string,
  code?: string,
  extra: Partial<Problem> = {},
): Problem {
  const slug = code ? code.toLowerCase().replace(/[._]/g, '-') : `http-${status}`;
  // The extensions come first so that they can never replace a core member.
  return {
    ...extra,
    type: `https://baton.dev/problems/${slug}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    ...(code ? { code } : {}),
  };
}

/** A stored error answer (Idempotency-Key), sent again as it was. */
export class ReplayedProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}
