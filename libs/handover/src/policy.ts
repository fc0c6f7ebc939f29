import { HandoverError, HandoverErrorCode } from './handover.errors.js';
import type { Gate } from './handover.types.js';
import { isIsoDuration } from './iso-duration.js';
import { isPlainObject } from './json.types.js';

/** Who decides at one gate: any of `roles`, until `quorum` distinct principals approve. */
export interface GatePolicy {
  roles: string[];
  quorum: number;
  /** ISO 8601: after it the approvers are reminded (decision_overdue); after twice it, escalated. */
  decisionSla: string;
}

/** How handovers of one service tier are governed. Durations are ISO 8601 so tests can use seconds. */
export interface Policy {
  acceptance: GatePolicy;
  elsExit: GatePolicy;
  elsDuration: string;
  elsFollowUpEvery: string;
  elsExitMaxOpenIncidents: { P1: number; P2: number };
  /** Offsets before the target go-live (or the scheduled window) at which readiness reminders go out. */
  readinessReminders: string[];
  /** Who may schedule a go-live into a change freeze, with a reason; absent: change_manager. */
  freezeOverrideRoles?: string[];
  /**
   * ELS exit criterion: every open follow-on action has an owner in business as usual. Absent (policies
   * stored before it): true.
   */
  elsExitRequiresActionOwners?: boolean;
}

export function requiresActionOwners(policy: Policy): boolean {
  return policy.elsExitRequiresActionOwners ?? true;
}

export function gatePolicyOf(policy: Policy, gate: Gate): GatePolicy {
  return gate === 'acceptance' ? policy.acceptance : policy.elsExit;
}

// Approver roles follow API.md: any lower_snake string.
const ROLE_PATTERN = /^[a-z][a-z0-9_]*$/;

/** Problems that would make a policy unable to govern a round; empty when it is fine. */
export function policyProblems(policy: unknown): string[] {
  if (!isPlainObject(policy)) {
    return ['policy must be an object'];
  }
  const problems: string[] = [];
  for (const gate of ['acceptance', 'elsExit'] as const) {
    const gatePolicy = policy[gate];
    if (!isPlainObject(gatePolicy)) {
      problems.push(`${gate} must be an object`);
      continue;
    }
    const { roles, quorum, decisionSla } = gatePolicy;
    if (
      !Array.isArray(roles) ||
      roles.length === 0 ||
      !roles.every((r) => typeof r === 'string' && ROLE_PATTERN.test(r))
    ) {
      problems.push(`${gate}.roles must be a non-empty list of lower_snake role names`);
    } else if (new Set(roles).size !== roles.length) {
      problems.push(`${gate}.roles must not repeat a role`);
    }
    // Quorum counts distinct principals, not roles, so it may exceed the number of roles.
    if (typeof quorum !== 'number' || !Number.isInteger(quorum) || quorum < 1) {
      problems.push(`${gate}.quorum must be a whole number of at least 1`);
    }
    if (typeof decisionSla !== 'string' || !isIsoDuration(decisionSla)) {
      problems.push(`${gate}.decisionSla must be an ISO 8601 duration`);
    }
  }
  for (const key of ['elsDuration', 'elsFollowUpEvery'] as const) {
    const value = policy[key];
    if (typeof value !== 'string' || !isIsoDuration(value)) {
      problems.push(`${key} must be an ISO 8601 duration`);
    }
  }
  const max = policy.elsExitMaxOpenIncidents;
  if (
    !isPlainObject(max) ||
    ![max.P1, max.P2].every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)
  ) {
    problems.push('elsExitMaxOpenIncidents must give P1 and P2 as whole numbers of at least 0');
  }
  const reminders = policy.readinessReminders;
  if (!Array.isArray(reminders) || !reminders.every((r) => typeof r === 'string' && isIsoDuration(r))) {
    problems.push('readinessReminders must be a list of ISO 8601 durations');
  }
  const overrideRoles = policy.freezeOverrideRoles;
  if (
    overrideRoles !== undefined &&
    (!Array.isArray(overrideRoles) ||
      !overrideRoles.every((r) => typeof r === 'string' && ROLE_PATTERN.test(r)))
  ) {
    problems.push('freezeOverrideRoles must be a list of lower_snake role names');
  }
  const requiresOwners = policy.elsExitRequiresActionOwners;
  if (requiresOwners !== undefined && typeof requiresOwners !== 'boolean') {
    problems.push('elsExitRequiresActionOwners must be true or false');
  }
  return problems;
}

/** Throws INVALID_POLICY unless `policy` is a usable Policy. */
export function assertValidPolicy(policy: unknown): asserts policy is Policy {
  const problems = policyProblems(policy);
  if (problems.length > 0) {
    throw new HandoverError(HandoverErrorCode.InvalidPolicy, `Invalid policy: ${problems.join('; ')}`, {
      problems,
    });
  }
}
