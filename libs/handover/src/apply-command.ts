import { allowedActionsOf } from './allowed-actions.js';
import { refusalOf } from './command-rules.js';
import { describeState, type HandoverView } from './describe-handover.js';
import { toEffects, type Effect } from './handover.effects.js';
import {
  approversInRound,
  gatePolicy,
  openIncidentCounts,
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
  /** For the audit log: the command type and its fields, plus what the transition made of them. */
  audit: { action: string; data: JsonObject };
  /** The new state as describeHandover reads it once `snapshot` is stored, without restoring it again. */
  view: HandoverView;
}

/**
 * Applies one command to a restored handover (loadHandover and applyCommand call it): a pure function of
 * its arguments, which leaves the restored state untouched. Throws a HandoverError when the command is
 * refused; ACTION_NOT_ALLOWED carries the status and what this actor could do instead.
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
      data: { from: fromStatus, to: toStatus, action: command.type },
    });
  }
  const snapshot = persist(next);
  return {
    snapshot,
    machineVersion: MACHINE_VERSION,
    fromStatus,
    toStatus,
    effects,
    audit: { action: command.type, data: auditData(command, restored, next.context, toStatus) },
    view: describePersisted(snapshot, toStatus),
  };
}

/**
 * The view of a snapshot this code just persisted. Read from the JSON rather than the live snapshot, it is
 * exactly what describing the stored row gives: the JSON is what the database keeps and gives back.
 */
function describePersisted(snapshot: JsonObject, status: Status): HandoverView {
  return describeState({
    status,
    context: snapshot.context as unknown as HandoverContext,
    historyValue: snapshot.historyValue,
  });
}

function auditData(
  command: HandoverCommand,
  before: RestoredHandover,
  after: HandoverContext,
  toStatus: Status,
): JsonObject {
  const data = commandData(command);
  switch (command.type) {
    case 'submit':
    case 'resubmit':
      return { ...data, round: after.round };
    case 'decide': {
      const policy = gatePolicy(after, command.gate);
      return {
        ...data,
        round: command.gate === 'acceptance' ? after.round : after.elsRound,
        approvals: approversInRound(after, command.gate).length,
        quorum: policy?.quorum ?? null,
      };
    }
    case 'els_period_elapsed': {
      const open = openIncidentCounts(before.context);
      return {
        ...data,
        outcome: toStatus === 'els_review' ? 'els_review' : 'extended',
        openIncidents: { P1: open.P1, P2: open.P2 },
      };
    }
    case 'edit':
    case 'attest':
    case 'waive':
    case 'result':
    case 'schedule':
    case 'confirm':
    case 'rollback':
    case 'record_incident':
    case 'resolve_incident':
    case 'hold':
    case 'resume':
    case 'cancel':
      return data;
  }
}
