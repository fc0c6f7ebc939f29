import { z } from 'zod';

// The building blocks of the response schemas. What the API sends is already checked where it comes from,
// so these document its form (format) rather than re-validate it (a pattern would only be noise).

/** An id: a UUID. */
export const uuidOut = z.string().meta({ format: 'uuid' });

/** A time: ISO 8601 in UTC, as Date.toISOString writes it. */
export const timeOut = z.string().meta({ format: 'date-time' });

/** An ISO 8601 duration as Baton reads them (a fraction on seconds only): P7D, PT30S, PT0.5S. */
export const durationOut = z
  .string()
  .regex(/^P(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/)
  .describe('An ISO 8601 duration, e.g. P7D or PT30S');

/** `{ items, nextCursor }` (and any `more` members), named `id` in the document. */
export function pageOf<Item extends z.ZodType, More extends z.ZodRawShape = Record<never, never>>(
  item: Item,
  id: string,
  more?: More,
) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
      ...(more as More),
    })
    .meta({ id });
}

/**
 * True when A and B are the same type (an optional member on one side only is a difference too). `true satisfies SameShape<DomainView, z.output<typeof response>>`
 * next to a presenter that serves a domain value as it is: a member added on either side fails the
 * type-check until the other has it, so the serializer (which writes only what the schema names) can drop
 * nothing.
 */
export type SameShape<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/**
 * A stored value that must be one of `values` (a status, a kind) as the response schema names them. The
 * database column is text: a value outside the list is a fault, and answered as one.
 */
export function oneOf<const T extends string>(values: readonly T[], value: string, what: string): T {
  if ((values as readonly string[]).includes(value)) return value as T;
  throw new Error(`Stored ${what} "${value}" is not one of ${values.join(', ')}`);
}
