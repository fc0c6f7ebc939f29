import { roleRefusal } from './action-roles.js';
import { findCriterion, findIncident, hasDecided, isSubmitter, roleInPolicy } from './handover.context.js';
import { assertWellFormed, toHandoverEvent, type HandoverCommand } from './handover.commands.js';
import { HandoverErrorCode } from './handover.errors.js';
import type { Actor, Gate, Status } from './handover.types.js';
import type { JsonObject } from './json.types.js';
import { eventsHandledIn } from './machine-nodes.js';
import { policyProblems } from './policy.js';
import type { RestoredHandover } from './handover.snapshot.js';

/** Why a command is refused; applyCommand turns it into a HandoverError. */
export interface Refusal {
  code: HandoverErrorCode;
  message: string;
  details?: JsonObject;
}

/** The gate whose decisions a status takes (readiness takes only sending back, which its transitions say). */
const GATE_OPEN_IN: Readonly<Partial<Record<Status, Gate>>> = {
  readiness: 'acceptance',
  acceptance: 'acceptance',
  els_review: 'els_exit',
};

/**
 * Every rule a command must pass, in the order callers should hear about them: well-formed, the actor's
 * roles, stale timers, the status, the command's own rules, and last whether the machine takes the event.
 * Null when the command would be applied.
 */
export function refusalOf(
  restored: RestoredHandover,
  command: HandoverCommand,
  actor: Actor,
): Refusal | null {
  assertWellFormed(command);
  return refusalOfWellFormed(restored, command, actor);
}

/**
 * refusalOf without the well-formedness check, for commands the domain builds itself (allowedActions'
 * candidates, well-formed by construction and tested so), where checking their shape is wasted work.
 */
export function refusalOfWellFormed(
  restored: RestoredHandover,
  command: HandoverCommand,
  actor: Actor,
): Refusal | null {
  const { context, status } = restored;

  const roleProblem = roleRefusal(command.type, actor);
  if (roleProblem !== null) {
    return {
      code: HandoverErrorCode.RoleRequired,
      message: `Refused: ${roleProblem}`,
      details: { action: command.type },
    };
  }

  if (command.type === 'els_period_elapsed') {
    const waiting = status === 'early_life_support' || status === 'on_hold';
    if (!waiting || command.period !== context.elsPeriod) {
      return {
        code: HandoverErrorCode.StaleTimer,
        message: `The timer for ELS period ${command.period} is stale: the deliverable is ${status} in period ${context.elsPeriod}`,
        details: { period: command.period, currentPeriod: context.elsPeriod, status },
      };
    }
  }

  const event = toHandoverEvent(command, actor);
  if (!eventsHandledIn(status).includes(event.type)) {
    return notAllowed(status, `${command.type} is not possible while the deliverable is ${status}`);
  }

  const specific = commandRefusal(restored, command, actor);
  if (specific !== null) return specific;

  if (!restored.snapshot.can(event)) {
    return notAllowed(status, `${command.type} is not possible now while the deliverable is ${status}`);
  }
  return null;
}

function commandRefusal(restored: RestoredHandover, command: HandoverCommand, actor: Actor): Refusal | null {
  const { context, status } = restored;
  switch (command.type) {
    case 'submit':
    case 'resubmit': {
      const problems = policyProblems(command.policy);
      return problems.length === 0
        ? null
        : {
            code: HandoverErrorCode.InvalidPolicy,
            message: `Invalid policy: ${problems.join('; ')}`,
            details: { problems },
          };
    }
    case 'attest':
    case 'waive':
    case 'result': {
      const criterion = findCriterion(context, command.key);
      if (criterion === undefined) {
        return {
          code: HandoverErrorCode.UnknownCriterion,
          message: `The deliverable has no readiness criterion "${command.key}"`,
          details: { key: command.key },
        };
      }
      if (command.type !== 'result') return null;
      if (criterion.kind !== 'automated') {
        return {
          code: HandoverErrorCode.NotAutomated,
          message: `Criterion "${command.key}" is manual: it is attested, not given a result`,
          details: { key: command.key },
        };
      }
      if (command.round !== undefined && command.round !== context.round) {
        return {
          code: HandoverErrorCode.StaleResult,
          message: `The result is for round ${command.round}; the deliverable is in round ${context.round}`,
          details: { key: command.key, round: command.round, currentRound: context.round },
        };
      }
      return null;
    }
    case 'decide': {
      const principalId = actor.principalId ?? '';
      if (GATE_OPEN_IN[status] !== command.gate) {
        return notAllowed(
          status,
          `No decision at the ${command.gate} gate is taken while the deliverable is ${status}`,
        );
      }
      if (isSubmitter(context, principalId)) {
        return {
          code: HandoverErrorCode.SeparationOfDuties,
          message: 'A submitter of this deliverable may not decide on it, whatever roles it holds',
          details: { principalId },
        };
      }
      if (!roleInPolicy(context, command.gate, command.role)) {
        return {
          code: HandoverErrorCode.RoleNotInPolicy,
          message: `The role ${command.role} does not decide at the ${command.gate} gate of this deliverable`,
          details: { role: command.role, gate: command.gate },
        };
      }
      if (!actor.roles.includes(command.role)) {
        return {
          code: HandoverErrorCode.RoleNotHeld,
          message: `The principal does not hold the role ${command.role}`,
          details: { role: command.role },
        };
      }
      if (hasDecided(context, command.gate, principalId)) {
        return {
          code: HandoverErrorCode.AlreadyDecided,
          message: `The principal has already decided in this ${command.gate} round`,
          details: { gate: command.gate },
        };
      }
      return null;
    }
    case 'schedule':
      return Date.parse(command.windowEnd) > Date.parse(command.windowStart)
        ? null
        : {
            code: HandoverErrorCode.InvalidWindow,
            message: 'The go-live window must end after it starts',
            details: { windowStart: command.windowStart, windowEnd: command.windowEnd },
          };
    case 'record_incident':
      return findIncident(context, command.reference) === undefined
        ? null
        : {
            code: HandoverErrorCode.DuplicateIncident,
            message: `Incident ${command.reference} is already recorded`,
            details: { reference: command.reference },
          };
    case 'resolve_incident': {
      const incident = findIncident(context, command.reference);
      if (incident === undefined) {
        return {
          code: HandoverErrorCode.UnknownIncident,
          message: `The deliverable has no incident ${command.reference}`,
          details: { reference: command.reference },
        };
      }
      return incident.resolvedAt === null
        ? null
        : {
            code: HandoverErrorCode.IncidentAlreadyResolved,
            message: `Incident ${command.reference} was resolved at ${incident.resolvedAt}`,
            details: { reference: command.reference, resolvedAt: incident.resolvedAt },
          };
    }
    case 'edit':
    case 'confirm':
    case 'rollback':
    case 'els_period_elapsed':
    case 'hold':
    case 'resume':
    case 'cancel':
      return null;
  }
}

function notAllowed(status: Status, message: string): Refusal {
  return { code: HandoverErrorCode.ActionNotAllowed, message, details: { status } };
}
