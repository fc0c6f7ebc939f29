import { HandoverErrorCode } from '../handover.errors.js';
import type { Refusal } from './refusal.js';

/** A go-live window ends after it starts. */
export function windowValid(windowStart: string, windowEnd: string): Refusal | null {
  return Date.parse(windowEnd) > Date.parse(windowStart)
    ? null
    : {
        code: HandoverErrorCode.InvalidWindow,
        message: 'The go-live window must end after it starts',
        details: {
          windowStart,
          windowEnd,
          errors: [{ path: 'windowEnd', message: 'must be after windowStart' }],
        },
      };
}
