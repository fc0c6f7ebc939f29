import { HandoverErrorCode } from '../handover.errors.js';
import type { Refusal } from './refusal.js';

/** The longest a delegation may last (API.md: out of office, not a standing transfer of duties). */
export const MAX_DELEGATION_DAYS = 90;
const DAY_MS = 86_400_000;

/**
 * Roles that are never delegated: they are not decided with at a gate (admin, pmo, smo act on deliverables,
 * and admin has no approver bypass), so out of office hands over approver roles only.
 */
export const UNDELEGABLE_ROLES: readonly string[] = ['admin', 'pmo', 'smo'];

/** A delegation of roles from one principal to another for `from <= t < until` (ISO times). */
export interface DelegationSpec {
  delegatorId: string;
  delegateId: string;
  roles: readonly string[];
  from: string;
  until: string;
}

export interface DelegationProblem {
  path: string;
  message: string;
}

/**
 * What is wrong with a delegation the delegator (holding `delegatorRoles`) asks for: to itself, of a role it
 * does not hold or that is not an approver role, ending before it starts, or longer than 90 days. Paths name
 * the body's fields.
 */
export function delegationProblems(
  spec: DelegationSpec,
  delegatorRoles: readonly string[],
): DelegationProblem[] {
  const problems: DelegationProblem[] = [];
  if (spec.delegateId === spec.delegatorId)
    problems.push({ path: 'delegateId', message: 'must be another principal than the delegator' });
  spec.roles.forEach((role, index) => {
    if (UNDELEGABLE_ROLES.includes(role))
      problems.push({
        path: `roles.${index}`,
        message: `${role} is not delegated: only approver roles (those decided with at a gate) are`,
      });
    else if (!delegatorRoles.includes(role))
      problems.push({ path: `roles.${index}`, message: `${role} is not a role the delegator holds` });
  });
  const from = Date.parse(spec.from);
  const until = Date.parse(spec.until);
  if (!(until > from)) problems.push({ path: 'until', message: 'must be after from' });
  else if (until - from > MAX_DELEGATION_DAYS * DAY_MS)
    problems.push({ path: 'until', message: `must be at most ${MAX_DELEGATION_DAYS} days after from` });
  return problems;
}

/** delegationProblems as a refusal (400 with the fields named), or null when there are none. */
export function delegationValid(spec: DelegationSpec, delegatorRoles: readonly string[]): Refusal | null {
  const problems = delegationProblems(spec, delegatorRoles);
  return problems.length === 0
    ? null
    : {
        code: HandoverErrorCode.InvalidDelegation,
        message: `Invalid delegation: ${problems.map(({ path, message }) => `${path} ${message}`).join('; ')}`,
        details: { errors: problems.map((problem) => ({ ...problem })) },
      };
}

function overlaps(a: Pick<DelegationSpec, 'from' | 'until'>, b: Pick<DelegationSpec, 'from' | 'until'>) {
  return Date.parse(a.from) < Date.parse(b.until) && Date.parse(b.from) < Date.parse(a.until);
}

/**
 * A delegation that would close a cycle: for one of its roles, delegations in force at some time of its own
 * period already lead from its delegate back to its delegator (B to A, or B to C to A). Such a ring would let
 * a principal's role come back to it through others; it is refused whole. `existing` are the delegations not
 * revoked; a chain counts when each of its links overlaps the new delegation's period (a conservative reading:
 * the links need not overlap one another).
 */
export function delegationCycle(spec: DelegationSpec, existing: readonly DelegationSpec[]): Refusal | null {
  for (const role of spec.roles) {
    const links = existing.filter((link) => link.roles.includes(role) && overlaps(link, spec));
    const path = pathBetween(spec.delegateId, spec.delegatorId, links);
    if (path !== null)
      return {
        code: HandoverErrorCode.DelegationCycle,
        message: `Delegating ${role} to this principal would close a cycle of delegations: ${[spec.delegatorId, ...path].join(' -> ')}`,
        details: { role, cycle: [spec.delegatorId, ...path] },
      };
  }
  return null;
}

/** The principals from `start` to `goal` along the links (breadth first), or null when none leads there. */
function pathBetween(start: string, goal: string, links: readonly DelegationSpec[]): string[] | null {
  const cameFrom = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const at = queue.shift()!;
    if (at === goal) {
      const path: string[] = [];
      for (let step: string | null = at; step !== null; step = cameFrom.get(step) ?? null) path.unshift(step);
      return path;
    }
    for (const link of links) {
      if (link.delegatorId === at && !cameFrom.has(link.delegateId)) {
        cameFrom.set(link.delegateId, at);
        queue.push(link.delegateId);
      }
    }
  }
  return null;
}
