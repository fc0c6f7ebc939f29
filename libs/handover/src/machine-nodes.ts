import type { AnyStateNode } from 'xstate';
import { HANDOVER_EVENT_TYPES, type HandoverEventType } from './handover.events.js';
import { handoverMachine } from './handover.machine.js';
import { STATUSES, type Status } from './handover.types.js';

/** The state node of each status, found by walking the machine, so a renamed state fails the tests. */
export function statusNode(status: Status): AnyStateNode {
  const active = handoverMachine.root.states.active;
  const node: AnyStateNode | undefined = active?.states[status] ?? handoverMachine.root.states[status];
  if (node === undefined) throw new Error(`The handover machine has no state for status ${status}`);
  return node;
}

const HANDLED = new Map<Status, readonly HandoverEventType[]>(
  STATUSES.map((status) => {
    const events = new Set<string>();
    for (let node: AnyStateNode | undefined = statusNode(status); node; node = node.parent) {
      for (const type of node.ownEvents as string[]) events.add(type);
    }
    return [status, HANDOVER_EVENT_TYPES.filter((type) => events.has(type))];
  }),
);

/** The event types a status has a transition for, whatever their guards say. */
export function eventsHandledIn(status: Status): readonly HandoverEventType[] {
  return HANDLED.get(status) ?? [];
}
