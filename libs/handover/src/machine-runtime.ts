import {
  createActor,
  transition,
  type ExecutableActionsFrom,
  type Snapshot,
  type SnapshotFrom,
} from 'xstate';
import type { HandoverEvent } from './handover.events.js';
import { handoverMachine, type HandoverMachine } from './handover.machine.js';

type MachineSnapshot = SnapshotFrom<HandoverMachine>;
export type MachineAction = ExecutableActionsFrom<HandoverMachine>;

/**
 * A persisted snapshot as a machine snapshot, through XState's public API (an actor made from the snapshot,
 * never started). A snapshot that does not restore comes back with status 'error'; restoreHandover says why.
 */
export function restoreMachineSnapshot(persisted: Snapshot<unknown>): MachineSnapshot {
  return createActor(handoverMachine, { snapshot: persisted, input: undefined }).getSnapshot();
}

/** XState's pure `transition(machine, snapshot, event)`: the next snapshot and the actions it declares. */
export function nextSnapshot(
  snapshot: MachineSnapshot,
  event: HandoverEvent,
): [MachineSnapshot, MachineAction[]] {
  return transition(handoverMachine, snapshot, event);
}
