import { initialTransition, type Snapshot, type SnapshotFrom } from 'xstate';
import { assertValidCriteria, type CriterionSpec } from './criterion.js';
import type { HandoverContext } from './handover.context.js';
import { HandoverError, HandoverErrorCode } from './handover.errors.js';
import { handoverMachine, MACHINE_VERSION, type HandoverMachine } from './handover.machine.js';
import { isStatus, type Status, type StoredHandover } from './handover.types.js';
import { isPlainObject, type JsonObject } from './json.types.js';
import { restoreMachineSnapshot } from './machine-runtime.js';

export type HandoverSnapshot = SnapshotFrom<HandoverMachine>;

/** A stored handover brought back to life, checked. */
export interface RestoredHandover {
  snapshot: HandoverSnapshot;
  status: Status;
  context: HandoverContext;
}

export interface CreatedHandover {
  snapshot: JsonObject;
  machineVersion: number;
  status: Status;
  /** The new machine, restored already. */
  state: RestoredHandover;
}

/** A new deliverable's machine, in draft, with its checklist's criteria all pending. */
export function createHandover(input: { criteria: CriterionSpec[] }): CreatedHandover {
  assertValidCriteria(input.criteria);
  const [snapshot] = initialTransition(handoverMachine, { criteria: input.criteria });
  const status = statusOf(snapshot);
  return {
    snapshot: persist(snapshot),
    machineVersion: MACHINE_VERSION,
    status,
    state: { snapshot, status, context: snapshot.context },
  };
}

/**
 * The snapshot as the database should keep it: the machine's persisted form, plain JSON but for the two
 * members XState leaves undefined (an output and an error, which a live handover never has). It shares its
 * objects with the snapshot it comes from (XState replaces, never mutates, its context): it is not copied
 * here, since it is serialised once, on its way to the database.
 */
export function persist(snapshot: HandoverSnapshot): JsonObject {
  const {
    output: _output,
    error: _error,
    ...persisted
  } = handoverMachine.getPersistedSnapshot(snapshot) as Record<string, unknown>;
  return persisted as JsonObject;
}

/**
 * Restores a stored snapshot, or throws: SNAPSHOT_VERSION_UNKNOWN for another machine version (those need
 * an explicit migration), SNAPSHOT_INVALID for anything that does not restore. Never falls back to a fresh
 * machine.
 */
export function restoreHandover(stored: StoredHandover): RestoredHandover {
  if (stored.machineVersion !== MACHINE_VERSION) {
    throw new HandoverError(
      HandoverErrorCode.SnapshotVersionUnknown,
      `The stored snapshot belongs to machine version ${String(stored.machineVersion)}; this code runs version ${MACHINE_VERSION}`,
      {
        machineVersion: typeof stored.machineVersion === 'number' ? stored.machineVersion : null,
        expected: MACHINE_VERSION,
      },
    );
  }
  // Refused before XState sees them: an actor given a null or undefined snapshot silently starts afresh.
  if (!isPlainObject(stored.snapshot) || !isPlainObject(stored.snapshot.context)) {
    throw invalid('it is not an object with a context');
  }
  let snapshot: HandoverSnapshot;
  try {
    // Not resolveState: it does not revive the history state's memory, which RESUME needs.
    snapshot = restoreMachineSnapshot(reopenOperational(stored.snapshot) as unknown as Snapshot<unknown>);
  } catch (error) {
    throw invalid(error instanceof Error ? error.message : String(error));
  }
  // A state that no longer exists throws above; a snapshot stored with status 'error' restores as one.
  if (snapshot.status === 'error') {
    const error: unknown = snapshot.error;
    throw invalid(error instanceof Error ? error.message : 'it restored with status error');
  }
  // A partial value (`'active'`) would be completed with initial states: a silent reset of part of it.
  if (JSON.stringify(snapshot.value) !== JSON.stringify(stored.snapshot.value)) {
    throw invalid(`its state ${JSON.stringify(stored.snapshot.value)} is not a complete state`);
  }
  const status = tryStatusOf(snapshot);
  if (status === null) {
    throw invalid(`its state ${JSON.stringify(snapshot.value)} is not a status`);
  }
  if (!hasContextShape(snapshot.context)) {
    throw invalid('its context is not a handover context');
  }
  return { snapshot, status, context: snapshot.context };
}

/** The status a snapshot is in; `statusOf(restoreHandover(stored))` for a stored one. */
export function statusOf(restored: RestoredHandover | HandoverSnapshot): Status {
  const snapshot = 'snapshot' in restored ? restored.snapshot : restored;
  const status = tryStatusOf(snapshot);
  if (status === null) throw invalid(`its state ${JSON.stringify(snapshot.value)} is not a status`);
  return status;
}

function tryStatusOf(snapshot: HandoverSnapshot): Status | null {
  const value: unknown = snapshot.value;
  // Statuses inside `active` appear as { active: 'draft' }; the others as a plain string.
  const leaf = isPlainObject(value) && Object.keys(value).length === 1 ? value.active : value;
  return isStatus(leaf) && (leaf === value) === !isPlainObject(value) ? leaf : null;
}

/**
 * `operational` was an XState final state: snapshots stored there say `status: 'done'`, and a done actor
 * takes no event. It now takes follow-on actions and lessons, so such a snapshot restores as active (the same
 * state, the same meaning: no machine version bump is needed).
 */
function reopenOperational(snapshot: Record<string, unknown>): Record<string, unknown> {
  return snapshot.value === 'operational' && snapshot.status === 'done'
    ? { ...snapshot, status: 'active' }
    : snapshot;
}

function hasContextShape(context: unknown): context is HandoverContext {
  return (
    isPlainObject(context) &&
    Array.isArray(context.criteria) &&
    Array.isArray(context.decisions) &&
    Array.isArray(context.submitters) &&
    Array.isArray(context.incidents) &&
    typeof context.round === 'number' &&
    typeof context.elsRound === 'number' &&
    typeof context.elsPeriod === 'number'
  );
}

function invalid(reason: string): HandoverError {
  return new HandoverError(
    HandoverErrorCode.SnapshotInvalid,
    `The stored snapshot does not restore: ${reason}`,
    {
      reason,
    },
  );
}
