import { allowedActionsOf } from './allowed-actions.js';
import { refusalOf } from './command-rules.js';
import { toEffects, type Effect } from './handover.effects.js';
import {
  approversInRound,
  followOnActions,
  gatePolicy,
  openIncidentCounts,
  unownedOpenActions,
  type HandoverContext,
} from './handover.context.js';
import { commandData, toHandoverEvent, type HandoverCommand } from './handover.commands.js';
import { HandoverError, HandoverErrorCode } from './handover.errors.js';
import { MACHINE_VERSION } from './handover.machine.js';
import { persist, statusOf, type RestoredHandover } from './handover.snapshot.js';
import type { Actor, Status } from './handover.types.js';
import type { JsonObject } from './json.types.js';
import { nextSnapshot } from './machine-runtime.js';

export interface CommandOutcome {
  /** The new snapshot, plain JSON, to store with `machineVersion`. */
  snapshot: JsonObject;
  machineVersion: number;
  fromStatus: Status;
  toStatus: Status;
  /** For the outbox, in order. A status change always brings a `deliverable.status_changed` notify. */
  effects: Effect[];
  /**
   * For the audit log: the action and its data. Null when the deliverable did not change (a notice timer
   * fired: its notice goes out, but the deliverable keeps its version and its history).
   */
  audit: { action: string; data: JsonObject } | null;
  /** The new state, restored already: what it looks like and what may be done next, without a restore. */
  next: RestoredHandover;
  /** Whether any readiness criterion changed (XState keeps the list when no action replaced it). */
  criteriaChanged: boolean;
}

/**
 * Applies one command to a restored handover: a pure function of its arguments, which leaves the restored
 * state untouched. Throws a HandoverError when the command is refused; ACTION_NOT_ALLOWED carries the
 * status and what this actor could do instead.
 */
export function applyToRestored(
  restored: RestoredHandover,
  command: HandoverCommand,
  actor: Actor,
): CommandOutcome {
  const refusal = refusalOf(restored, command, actor);
  if (refusal !== null) {
    const details: JsonObject = { ...refusal.details };
    if (refusal.code === HandoverErrorCode.ActionNotAllowed) {
      details.status = restored.status;
      details.action = command.type;
      details.allowedActions = allowedActionsOf(restored, actor);
    }
    throw new HandoverError(refusal.code, refusal.message, details);
  }

  const [next, actions] = nextSnapshot(restored.snapshot, toHandoverEvent(command, actor));
  if (next.status === 'error') {
    // The rules above accepted the command, so this is a bug in the machine, not the caller's doing.
    throw new Error(`The handover machine failed on ${command.type}: ${String(next.error)}`);
  }
  const fromStatus = restored.status;
  const toStatus = statusOf(next);
  const effects = toEffects(actions);
  if (toStatus !== fromStatus) {
    effects.push({
      type: 'notify',
      event: 'deliverable.status_changed',
      data: { from: fromStatus, to: toStatus, action: auditAction(command), ...decidedBy(command, actor) },
    });
  }
  // XState keeps the context object when no action assigned to it: a notice changed nothing.
  const changed =
    toStatus !== fromStatus || next.context !== restored.context || command.type !== 'timer_due';
  return {
    snapshot: persist(next),
    machineVersion: MACHINE_VERSION,
    fromStatus,
    toStatus,
    effects,
    audit: changed
      ? { action: auditAction(command), data: auditData(command, restored, next.context, toStatus) }
      : null,
    next: { snapshot: next, status: toStatus, context: next.context },
    criteriaChanged: next.context.criteria !== restored.context.criteria,
  };
}

/** Who took a decision and for whom (null: for itself), as its events say; nothing for other commands. */
export function decidedBy(command: HandoverCommand, actor: Actor): JsonObject {
  return command.type === 'decide'
    ? { principalId: actor.principalId, onBehalfOf: command.onBehalfOf ?? null }
    : {};
}

/** The action the audit log and the status-change event name: a timer by what it did. */
function auditAction(command: HandoverCommand): string {
  if (command.type !== 'timer_due') return command.type;
  const { kind } = command.timer;
  if (kind === 'els_period_end') return 'els_period_elapsed';
  return kind === 'attestation_expiry' ? 'attestation_expired' : command.type;
}

function auditData(
  command: HandoverCommand,
  before: RestoredHandover,
  after: HandoverContext,
  toStatus: Status,
): JsonObject {
  switch (command.type) {
    case 'submit':
    case 'resubmit':
      return { ...commandData(command), round: after.round };
    case 'decide': {
      const policy = gatePolicy(after, command.gate);
      // A decision for a delegator keeps onBehalfOf, and the delegation it went through by its id.
      const { delegation: _delegation, ...decided } = commandData(command);
      return {
        ...decided,
        ...(command.delegation ? { delegationId: command.delegation.id } : {}),
        round: command.gate === 'acceptance' ? after.round : after.elsRound,
        approvals: approversInRound(after, command.gate).length,
        quorum: policy?.quorum ?? null,
      };
    }
    case 'freeze_conflict':
      return { conflicts: command.conflicts.map((conflict) => ({ ...conflict })) };
    case 'freeze_lifted':
      return { freezeWindowId: command.freezeWindowId };
    case 'create_action':
      // The key is the machine's to give: the audit names it.
      return { key: followOnActions(after).at(-1)?.key ?? null, ...commandData(command) };
    case 'timer_due': {
      if (command.timer.kind === 'attestation_expiry') {
        return { key: command.timer.subject, expiresAt: command.timer.dueAt, timerId: command.timer.id };
      }
      const open = openIncidentCounts(before.context);
      return {
        period: command.timer.period,
        outcome: toStatus === 'els_review' ? 'els_review' : 'extended',
        openIncidents: { P1: open.P1, P2: open.P2 },
        actionsWithoutOwner: unownedOpenActions(before.context).map(({ key }) => key),
      };
    }
    case 'schedule': {
      // The freezes it overrode, if any; an override given where there was no freeze is not one.
      const overridden = command.override && command.freeze?.conflicts.length ? command.freeze.conflicts : [];
      return {
        windowStart: command.windowStart,
        windowEnd: command.windowEnd,
        ...(overridden.length > 0
          ? {
              override: {
                reason: command.override!.reason,
                freezeWindowIds: [...new Set(overridden.map((conflict) => conflict.freezeWindowId))],
              },
            }
          : {}),
      };
    }
    case 'edit':
    case 'attest':
    case 'waive':
    case 'probe':
    case 'result':
    case 'confirm':
    case 'rollback':
    case 'record_incident':
    case 'resolve_incident':
    case 'assign_action':
    case 'close_action':
    case 'record_lesson':
    case 'hold':
    case 'resume':
    case 'cancel':
      return commandData(command);
  }
}
