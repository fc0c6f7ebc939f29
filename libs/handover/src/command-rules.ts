import { assertWellFormed, toHandoverEvent, type HandoverCommand } from './handover.commands.js';
import { HandoverErrorCode } from './handover.errors.js';
import type { RestoredHandover } from './handover.snapshot.js';
import type { Actor } from './handover.types.js';
import { eventsHandledIn } from './machine-nodes.js';
import {
  conflictNoted,
  actionOpen,
  criterionAutomated,
  dueDateAhead,
  mayCloseAction,
  criterionKnown,
  criterionProbeable,
  expiryCurrent,
  readinessHeld,
  renewalAllowed,
  firstRefusal,
  freezeAllows,
  gateOpen,
  incidentNew,
  incidentOpen,
  mayDecide,
  notAllowed,
  notOnHold,
  policyValid,
  resultCurrent,
  roleRefusal,
  staleTimer,
  timerCurrent,
  windowValid,
  type Refusal,
} from './rules/index.js';

export type { Refusal } from './rules/index.js';

/**
 * Every rule a command must pass, in the order callers should hear about them: well-formed, the actor's
 * roles, the status, the command's own rules (the same functions the machine's guards ask), and last whether
 * the machine takes the event. Null when the command would be applied.
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
  const { status } = restored;
  const event = toHandoverEvent(command, actor);
  const refusal = firstRefusal(
    () => roleRefusal(command.type, actor),
    () => timerRefusal(restored, command),
    () =>
      eventsHandledIn(status).includes(event.type)
        ? null
        : notAllowed(status, `${command.type} is not possible while the deliverable is ${status}`),
    () => commandRefusal(restored, command, actor),
    () =>
      restored.snapshot.can(event)
        ? null
        : notAllowed(status, `${command.type} is not possible now while the deliverable is ${status}`),
  );
  // A timer its state does not take is stale rather than "not allowed": the command path drops it.
  return refusal?.code === HandoverErrorCode.ActionNotAllowed && command.type === 'timer_due'
    ? staleTimer(command.timer, `the deliverable is ${status}`)
    : refusal;
}

/** A timer that came due: stale when it belongs to an earlier ELS period, waiting while on hold. */
function timerRefusal({ context, status }: RestoredHandover, command: HandoverCommand): Refusal | null {
  if (command.type !== 'timer_due') return null;
  return (
    timerCurrent(context, command.timer) ??
    expiryCurrent(context, command.timer) ??
    notOnHold(status, command.timer)
  );
}

function commandRefusal(restored: RestoredHandover, command: HandoverCommand, actor: Actor): Refusal | null {
  const { context, status } = restored;
  switch (command.type) {
    case 'submit':
    case 'resubmit':
      return policyValid(command.policy);
    case 'attest':
    case 'waive':
      return criterionKnown(context, command.key) ?? renewalAllowed(context, status, command.key);
    case 'result':
      return (
        criterionAutomated(context, command.key) ??
        resultCurrent(context, command.key, command.round) ??
        renewalAllowed(context, status, command.key)
      );
    case 'probe':
      return criterionProbeable(context, command.key) ?? renewalAllowed(context, status, command.key);
    case 'confirm':
      return readinessHeld(context);
    case 'decide':
      return (
        gateOpen(status, command.gate) ??
        mayDecide(context, {
          gate: command.gate,
          principalId: actor.principalId ?? '',
          role: command.role,
          principalRoles: actor.roles,
          onBehalfOf: command.onBehalfOf ?? null,
          delegatedRoles: command.delegation?.roles ?? null,
        })
      );
    case 'schedule':
      return (
        windowValid(command.windowStart, command.windowEnd) ??
        freezeAllows(command.freeze, command.override, actor.roles)
      );
    case 'freeze_lifted':
      return conflictNoted(context, command.freezeWindowId);
    case 'record_incident':
      return incidentNew(context, command.reference);
    case 'resolve_incident':
      return incidentOpen(context, command.reference);
    case 'create_action':
      return dueDateAhead(command.dueAt, command.at);
    case 'assign_action':
      return actionOpen(context, command.key) ?? dueDateAhead(command.dueAt, command.at);
    case 'close_action':
      return actionOpen(context, command.key) ?? mayCloseAction(context, command.key, actor);
    case 'record_lesson':
    case 'edit':
    case 'rollback':
    case 'timer_due':
    case 'freeze_conflict':
    case 'hold':
    case 'resume':
    case 'cancel':
      return null;
  }
}
