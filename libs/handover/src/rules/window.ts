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

/** An occurrence of a change freeze that a go-live window overlaps. */
export interface FreezeConflict {
  freezeWindowId: string;
  name: string;
  start: string;
  end: string;
}

/**
 * What the command path found for a go-live window: the freezes it overlaps, and the roles the tier's policy
 * lets override them.
 */
export interface FreezeCheck {
  conflicts: FreezeConflict[];
  overrideRoles: string[];
}

/** The roles that may schedule into a freeze when a tier's policy names none. */
export const DEFAULT_FREEZE_OVERRIDE_ROLES: readonly string[] = ['change_manager'];

/**
 * A go-live window may not overlap a change freeze, unless the scheduler gives an override with a reason and
 * holds one of the override roles (literally: admin overrides nothing it does not hold).
 */
export function freezeAllows(
  freeze: FreezeCheck | undefined,
  override: { reason: string } | undefined,
  principalRoles: readonly string[],
): Refusal | null {
  if (!freeze || freeze.conflicts.length === 0) return null;
  const { conflicts, overrideRoles } = freeze;
  const names = conflicts.map((conflict) => conflict.name);
  const details = {
    conflicts: conflicts.map((conflict) => ({ ...conflict })),
    overrideRoles: [...overrideRoles],
  };
  if (!override) {
    return {
      code: HandoverErrorCode.FreezeWindow,
      message:
        `The go-live window overlaps the change freeze ${[...new Set(names)].join(', ')}; ` +
        `one of ${overrideRoles.join(', ')} may schedule it with an override and a reason`,
      details,
    };
  }
  if (!overrideRoles.some((role) => principalRoles.includes(role))) {
    return {
      code: HandoverErrorCode.RoleRequired,
      message: `Overriding a change freeze needs one of the roles: ${overrideRoles.join(', ')}`,
      details: { ...details, requiredRoles: [...overrideRoles] },
    };
  }
  return null;
}
