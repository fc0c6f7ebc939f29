import { HandoverErrorCode } from '../handover.errors.js';
import type { Status } from '../handover.types.js';
import type { JsonObject } from '../json.types.js';

/** Why a rule refuses; null where it does not. applyCommand turns a refusal into a HandoverError. */
export interface Refusal {
  code: HandoverErrorCode;
  message: string;
  details?: JsonObject;
}

/** The first refusal of `checks`, run in order (each only when those before it passed), or null. */
export function firstRefusal(...checks: (() => Refusal | null)[]): Refusal | null {
  for (const check of checks) {
    const refusal = check();
    if (refusal !== null) return refusal;
  }
  return null;
}

export function notAllowed(status: Status, message: string): Refusal {
  return { code: HandoverErrorCode.ActionNotAllowed, message, details: { status } };
}
