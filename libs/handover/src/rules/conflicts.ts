import type { HandoverContext } from '../handover.context.js';
import { HandoverErrorCode } from '../handover.errors.js';
import type { Refusal } from './refusal.js';

// Conflicts noted on a scheduled go-live (the context keeps them; window.ts says what a conflict is).

/** A lifted freeze takes back only the conflicts it had noted on the deliverable. */
export function conflictNoted(context: HandoverContext, freezeWindowId: string): Refusal | null {
  return (context.conflicts ?? []).some((conflict) => conflict.freezeWindowId === freezeWindowId)
    ? null
    : {
        code: HandoverErrorCode.ActionNotAllowed,
        message: `No conflict with freeze window ${freezeWindowId} is noted on the deliverable`,
        details: { freezeWindowId },
      };
}
