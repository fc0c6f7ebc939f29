import { type FieldError } from '@baton/errors';

/** RFC 9457 problem details, as every error of the API is served. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code?: string;
  errors?: FieldError[];
  state?: string;
  allowedActions?: string[];
  [extension: string]: unknown;
}

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
