import { z } from 'zod';

/** Text as API.md limits it: no NUL (PostgreSQL refuses it), not blank where required. */
export function text(min: number, max: number) {
  return z
    .string()
    .min(min, min === 1 ? 'must not be empty' : `must have at least ${min} characters`)
    .max(max, `must have at most ${max} characters`)
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters')
    .refine((value) => min === 0 || value.trim().length > 0, 'must not be blank');
}

export const name = text(1, 200);
export const description = text(0, 10_000);
export const key = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1 to 64 of A-Z a-z 0-9 . _ -');
export const role = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be lower_snake_case, up to 64 characters');
export const uuid = z.uuid('must be a UUID');
export const timestamp = z.iso
  .datetime({
    offset: true,
    message: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-12-01T09:00:00Z',
  })
  .transform((value) => new Date(value))
  // Within 1970..9999 in UTC: an offset can push 9999-12-31 into year 10000, which ISO text cannot carry plainly.
  .refine(
    (date) => date.getUTCFullYear() >= 1970 && date.getUTCFullYear() <= 9999,
    'must fall between 1970 and 9999 (UTC)',
  );

/** `limit` (1..500, default 50) and the opaque `cursor` of a list. */
export const pageQuery = {
  limit: z.coerce.number().int('must be a whole number').min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
};

export const idParam = z.object({ id: uuid }).strict();
