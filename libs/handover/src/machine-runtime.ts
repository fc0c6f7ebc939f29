import { createActor, type ExecutableActionsFrom, type Snapshot, type SnapshotFrom } from 'xstate';
import type { HandoverEvent } from './handover.events.js';
import { handoverMachine, type HandoverMachine } from './handover.machine.js';

type MachineSnapshot = SnapshotFrom<HandoverMachine>;
type ActorScope = Parameters<HandoverMachine['transition']>[2];
export type MachineAction = ExecutableActionsFrom<HandoverMachine>;

/**
 * The actor every restore and transition runs under. XState's pure `transition()` builds a throwaway
 * actor per call, and an actor made without a snapshot runs the machine's `context` factory with no input
 * (xstate#4774). Ours then throws, so every command paid for a swallowed exception. This actor is made
 * once, with a valid input. The machine neither spawns nor invokes, so nothing registers in its system and
 * nothing is carried over from one call to the next.
 */
const self = createActor(handoverMachine, { input: { criteria: [] } });

/** What xstate's `transition()` hands the machine: an inert scope whose action executor only collects. */
function inertScope(collect: (action: MachineAction) => void): ActorScope {
  return {
    self,
    id: '',
    sessionId: '',
    system: self.system,
    logger: () => undefined,
    defer: () => undefined,
    emit: () => undefined,
    stopChild: () => undefined,
    actionExecutor: (action) => collect(action as MachineAction),
  };
}

const RESTORE_SCOPE = inertScope(() => undefined);

/**
 * A persisted snapshot as a machine snapshot: what `createActor(machine, { snapshot }).getSnapshot()`
 * gives, without building an actor. Throws what XState throws for a snapshot that does not restore.
 */
export function restoreMachineSnapshot(persisted: Snapshot<unknown>): MachineSnapshot {
  return handoverMachine.restoreSnapshot(persisted, RESTORE_SCOPE);
}

/** xstate's `transition(machine, snapshot, event)`, under the shared scope: the next snapshot and its actions. */
export function nextSnapshot(
  snapshot: MachineSnapshot,
  event: HandoverEvent,
): [MachineSnapshot, MachineAction[]] {
  const actions: MachineAction[] = [];
  const next = handoverMachine.transition(
    snapshot,
    event,
    inertScope((action) => actions.push(action)),
  );
  return [next, actions];
}
