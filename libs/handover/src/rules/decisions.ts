import {
  decidedFor,
  hasDecided,
  isSubmitter,
  roleInPolicy,
  type HandoverContext,
} from '../handover.context.js';
import { HandoverErrorCode } from '../handover.errors.js';
import type { Gate, Status } from '../handover.types.js';
import { firstRefusal, notAllowed, type Refusal } from './refusal.js';

/** Who asks to decide, with what role, at which gate: what a decision command and its machine event carry. */
export interface DecisionRequest {
  gate: Gate;
  principalId: string;
  role: string;
  /** The roles the principal holds: it decides only through one of them (unless it acts for a delegator). */
  principalRoles: readonly string[];
  /** The delegator it decides for (API.md, Delegation); absent or null: for itself. */
  onBehalfOf?: string | null;
  /**
   * The roles `onBehalfOf` delegated to the principal in a delegation in force now, as the command path found
   * them (the domain reads no clock); null or absent: no delegation in force.
   */
  delegatedRoles?: readonly string[] | null;
}

/** A decision for someone else needs a delegation from it to the principal in force now (and not revoked). */
export function delegationInForce(request: DecisionRequest): Refusal | null {
  const { onBehalfOf } = request;
  if (onBehalfOf === undefined || onBehalfOf === null) return null;
  return onBehalfOf !== request.principalId && request.delegatedRoles
    ? null
    : {
        code: HandoverErrorCode.DelegationNotActive,
        message: `No delegation from ${onBehalfOf} to this principal is in force now`,
        details: { onBehalfOf },
      };
}

/** The gate a status waits on for decisions (what the approvers' inbox and the decision reminders name). */
export const GATE_AWAITED_IN: Readonly<Partial<Record<Status, Gate>>> = {
  acceptance: 'acceptance',
  els_review: 'els_exit',
};

/** The gate whose decisions a status takes: readiness takes sending back at acceptance too. */
const GATE_OPEN_IN: Readonly<Partial<Record<Status, Gate>>> = { ...GATE_AWAITED_IN, readiness: 'acceptance' };

export function gateOpen(status: Status, gate: Gate): Refusal | null {
  return GATE_OPEN_IN[status] === gate
    ? null
    : notAllowed(status, `No decision at the ${gate} gate is taken while the deliverable is ${status}`);
}

/** Separation of duties: whoever submitted a deliverable never decides on it, whatever roles it holds. */
export function separationOfDuties(context: HandoverContext, principalId: string): Refusal | null {
  return isSubmitter(context, principalId)
    ? {
        code: HandoverErrorCode.SeparationOfDuties,
        message: 'A submitter of this deliverable may not decide on it, whatever roles it holds',
        details: { principalId },
      }
    : null;
}

export function roleDecidesAtGate(context: HandoverContext, gate: Gate, role: string): Refusal | null {
  return roleInPolicy(context, gate, role)
    ? null
    : {
        code: HandoverErrorCode.RoleNotInPolicy,
        message: `The role ${role} does not decide at the ${gate} gate of this deliverable`,
        details: { role, gate },
      };
}

export function roleHeld(principalRoles: readonly string[], role: string): Refusal | null {
  return principalRoles.includes(role)
    ? null
    : {
        code: HandoverErrorCode.RoleNotHeld,
        message: `The principal does not hold the role ${role}`,
        details: { role },
      };
}

/** One decision per principal per gate round. */
export function notYetDecided(context: HandoverContext, gate: Gate, principalId: string): Refusal | null {
  return hasDecided(context, gate, principalId)
    ? {
        code: HandoverErrorCode.AlreadyDecided,
        message: `The principal has already decided in this ${gate} round`,
        details: { gate },
      }
    : null;
}

/**
 * May this principal decide now at this gate, with this role? Every rule of a decision but the status (the
 * machine's states say which gate is open): the machine's guards and refusalOf both ask this.
 */
export function mayDecide(context: HandoverContext, request: DecisionRequest): Refusal | null {
  const delegator = request.onBehalfOf ?? null;
  return firstRefusal(
    () => delegationInForce(request),
    // Separation of duties binds both: a submitter neither decides through a delegate nor for a delegator.
    () => separationOfDuties(context, request.principalId),
    () => (delegator === null ? null : separationOfDuties(context, delegator)),
    () => roleDecidesAtGate(context, request.gate, request.role),
    () =>
      roleHeld(delegator === null ? request.principalRoles : (request.delegatedRoles ?? []), request.role),
    () => notYetDecided(context, request.gate, decidedFor(request)),
  );
}
