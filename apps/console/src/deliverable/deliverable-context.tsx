// What the sections of a deliverable page share: the deliverable as last read, a way to run a command on it
// (If-Match with the version the reader saw; the answer shown at once), and the "changed meanwhile" path:
// a 412 or 409 conflict raises a banner whose Reload fetches the fresh record while open forms keep what
// was typed in them (they take the fresh version as their new base).
import { createContext, useContext, useEffect, useState } from 'react';
import type { Deliverable } from '../api/types';
import { ApiError } from '../lib/problem';
import { prime, refresh } from '../lib/store';
import { useAction } from '../lib/use-action';

export interface DeliverableState {
  deliverable: Deliverable;
  /** Increases each time the reader reloads after a conflict. */
  epoch: number;
  conflict: (error: ApiError) => void;
}

export const DeliverableContext = createContext<DeliverableState | null>(null);

export function useDeliverable(): DeliverableState {
  const value = useContext(DeliverableContext);
  if (!value) throw new Error('useDeliverable outside a deliverable page');
  return value;
}

/** The version a form was opened on; the fresh one after the reader reloads. */
export function useBaseVersion(): number {
  const { deliverable, epoch } = useDeliverable();
  const [base, setBase] = useState(deliverable.version);
  useEffect(() => {
    if (epoch > 0) setBase(deliverable.version);
    // only on reload: a live refresh must not silently rebase what the reader is typing on
  }, [epoch]);
  return base;
}

/** Runs a command on the deliverable; its answer replaces what the page shows. */
export function useCommand() {
  const { deliverable, conflict } = useDeliverable();
  const action = useAction();
  const run = (call: () => Promise<Deliverable>, then?: (fresh: Deliverable) => void) =>
    action.run(async () => {
      try {
        const fresh = await call();
        prime(`deliverable:${deliverable.id}`, fresh);
        refresh(`history:${deliverable.id}`);
        refresh(`reminders:${deliverable.id}`);
        then?.(fresh);
        return fresh;
      } catch (error) {
        if (
          error instanceof ApiError &&
          (error.changedMeanwhile || error.code === 'HANDOVER.ACTION_NOT_ALLOWED')
        )
          conflict(error);
        throw error;
      }
    });
  return { ...action, run };
}
