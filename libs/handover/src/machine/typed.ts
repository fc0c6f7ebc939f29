import { setup } from 'xstate';
import type { CriterionSpec } from '../criterion.js';
import type { HandoverContext } from '../handover.context.js';
import type { HandoverEvent } from '../handover.events.js';

export interface HandoverInput {
  criteria: CriterionSpec[];
}

/** The machine's types alone: the actions and guards in their own files are written against them. */
export const typed = setup({
  types: {
    context: {} as HandoverContext,
    events: {} as HandoverEvent,
    // Optional: an actor restored from a snapshot, or made by XState's pure functions, has none.
    input: {} as HandoverInput | undefined,
  },
});

/** What a guard is given. */
export interface GuardArgs {
  context: HandoverContext;
  event: HandoverEvent;
}
